"""Batch regeneration of a folder of workbooks (``pdz-xl rigenera``)."""
