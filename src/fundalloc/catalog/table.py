"""Words of the tables for people: the 分配表 (allocation table), the workbook's sheets and their headers."""

WORDS = {
    # rows added to per-unit tables
    "table.subtotal": ("{region} subtotal", "{region}小计"),
    "table.total": ("Total", "合计"),
}
