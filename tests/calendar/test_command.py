from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar_day", *args, stdout=out)
    return out.getvalue()


def test_a_day():
    assert run("2026-02-17") == "2026-02-17 (Thứ Ba): ngày nghỉ — Tết Nguyên Đán\n"
    assert "ngày làm việc" in run("2026-02-23")


def test_a_due_moment():
    output = run("--due", "2026-02-13T16:00+07:00", "--amount", "3", "--unit", "working_days")
    assert "đến hạn 2026-02-25T16:00:00+07:00" in output


def test_a_year():
    output = run("--year", "2026")
    assert "2026-02-17 Thứ Ba" in output and "Tết Nguyên Đán" in output


@pytest.mark.parametrize(
    "args", [("17/02/2026",), ("--due", "2026-02-13T16:00"), ("--due", "x"), ()]
)
def test_bad_input_is_a_command_error(args):
    with pytest.raises(CommandError):
        run(*args)
