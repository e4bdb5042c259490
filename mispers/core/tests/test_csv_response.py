"""CSV downloads never carry a spreadsheet formula from typed text (a place's name, a path)."""

from mispers.core.views import csv_response


def test_text_cells_are_made_safe_and_numbers_left_alone():
    body = csv_response("x.csv", ["place", "n"],
                        [["=HYPERLINK(\"http://x\")", 3], ["Oakfield House", -2]]).content
    lines = body.decode().splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[1].endswith(",3")
    assert lines[2] == "Oakfield House,-2"
