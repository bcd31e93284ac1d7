"""Fixtures shared by the tests of output folders."""
import subprocess
import sys

import pytest

#: a process that takes an output folder's lock (as a running fundalloc does), says so and keeps it
_HOLDER = ("import fcntl, os, sys, time\n"
           "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); fcntl.flock(fd, fcntl.LOCK_EX)\n"
           "os.write(fd, str(os.getpid()).encode()); print('held', flush=True); time.sleep(60)")


@pytest.fixture
def hold_lock():
    """``hold_lock(path)``: another process holds the lock file ``path`` until the test ends; returns it."""
    holders = []

    def hold(path):
        holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
        holders.append(holder)
        assert holder.stdout.readline().strip() == "held"
        return holder

    yield hold
    for holder in holders:
        holder.kill()
        holder.wait()
