"""``egov import dossiers FILE``: its output and exit status, in-process and as the real program."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.dossiers.models import Dossier

DATA = Path(__file__).parent / "data" / "legacy"
ROOT = Path(__file__).resolve().parents[2]


def run_import(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", "dossiers", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_good_file_prints_its_summary_and_a_second_run_says_nothing_was_added():
    out, err = run_import(str(DATA / "semicolon_bom.csv"))
    assert err == ""
    assert "Đã đọc 9 hồ sơ: 9 đã lưu, 0 bỏ qua vì đã nhập trước đó." in out
    assert "import dossiers: 9/9" in out  # the progress line

    out, _err = run_import(str(DATA / "semicolon_bom.csv"))
    assert "0 đã lưu, 9 bỏ qua vì đã nhập trước đó" in out
    assert "Mọi hồ sơ trong tệp đã được nhập trước đó; không thêm gì." in out
    assert Dossier.objects.count() == 9


@pytest.mark.django_db
def test_a_bad_file_lists_every_error_and_fails():
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"16 lỗi; không lưu hồ sơ nào\."):
        call_command("import", "dossiers", str(DATA / "bad.csv"), stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 16
    assert lines[0] == "  ! dòng 2: không có thủ tục mã 9.999999 trong danh mục"
    assert lines[-1] == "  ! dòng 18: có 6 ô, tiêu đề có 13 cột"
    assert out.getvalue().splitlines() == [
        "Đã đọc 17 hồ sơ: 1 hợp lệ, 16 có lỗi.",
        "Không lưu hồ sơ nào vì tệp có lỗi.",
    ]
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_a_conflict_is_counted_as_a_row_in_error(tmp_path):
    run_import(str(DATA / "semicolon_bom.csv"))
    text = (DATA / "semicolon_bom.csv").read_text(encoding="utf-8-sig")
    changed = tmp_path / "changed.csv"
    changed.write_text(text.replace("Trần Thị Bình", "Trần Thị Bình An"), encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"1 lỗi; không lưu hồ sơ nào\."):
        call_command("import", "dossiers", str(changed), stdout=out, stderr=err)
    assert "xung đột" in err.getvalue()
    assert out.getvalue().splitlines() == [
        "Đã đọc 9 hồ sơ: 8 hợp lệ, 1 có lỗi.",
        "Không lưu hồ sơ nào vì tệp có lỗi.",
    ]


@pytest.mark.django_db
def test_a_missing_file_is_named_in_vietnamese_and_fails(tmp_path):
    missing = tmp_path / "khong-co.csv"
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import", "dossiers", str(missing), stdout=out, stderr=err)
    assert err.getvalue() == f"  ! Không tìm thấy tệp {missing}.\n"
    assert out.getvalue() == "Không lưu hồ sơ nào.\n"


@pytest.mark.django_db
def test_options_source_format_and_dry_run(tmp_path):
    renamed = tmp_path / "export.txt"
    renamed.write_bytes((DATA / "dossiers.json").read_bytes())
    out, _err = run_import(str(renamed), "--format", "json", "--dry-run")
    assert "Đã đọc 3 hồ sơ, đều hợp lệ: 3 sẽ được lưu, 0 bỏ qua vì đã nhập trước đó." in out
    assert "Chạy thử: không lưu gì" in out and not Dossier.objects.exists()

    out, _err = run_import(str(DATA / "ddmmyyyy.csv"), "--source", "motcua-xa")
    assert "3 đã lưu" in out
    assert set(Dossier.objects.values_list("legacy__source", flat=True)) == {"motcua-xa"}


def test_the_egov_program_imports_and_exits_non_zero_on_a_bad_file(tmp_path):
    """The installed ``egov`` executable, on a database of its own (a temporary SQLite file)."""
    egov = Path(sys.executable).with_name("egov")
    env = {
        **{
            k: v for k, v in os.environ.items() if not k.startswith("EGOV_") and k != "DATABASE_URL"
        },
        "EGOV_SQLITE_PATH": str(tmp_path / "import.sqlite3"),
        "EGOV_DATA_DIR": str(tmp_path),
    }

    def egov_run(*args):
        return subprocess.run(
            [str(egov), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )

    for setup in (["migrate"], ["load_places"], ["load_agencies"], ["load_procedures"]):
        done = egov_run(*setup, "-v", "0")
        assert done.returncode == 0, done.stderr

    bad = egov_run("import", "dossiers", str(DATA / "bad.csv"))
    assert bad.returncode == 1
    assert "dòng 4: cơ quan STP không giải quyết thủ tục 1.001193" in bad.stderr
    assert "16 lỗi; không lưu hồ sơ nào." in bad.stderr

    good = egov_run("import", "dossiers", str(DATA / "dossiers.json"))
    assert good.returncode == 0, good.stderr
    assert "3 đã lưu" in good.stdout
    again = egov_run("import", "dossiers", str(DATA / "dossiers.json"))
    assert again.returncode == 0 and "3 bỏ qua vì đã nhập trước đó" in again.stdout

    listed = egov_run("--help")
    assert "import" in listed.stdout.split()
