"""English as the second language: msgids are Vietnamese, src/egov/locale/en holds the English.

The pages and the API follow the request's language (Accept-Language, or the cookie the language
switcher sets); with Vietnamese, or no preference, the msgids appear exactly as written.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

LOCALE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
# Placeholders that must survive translation: %(name)s, %(n)d, a literal %%, and str.format's {}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|\{\w*\}")


@pytest.fixture(autouse=True)
def _restore_language():
    # LocaleMiddleware activates the request's language and leaves it active in the thread; an
    # English request here must not make later tests (in the same worker) see English.
    with translation.override(translation.get_language()):
        yield


# --- a tiny .po reader (no dependency): enough for what makemessages writes ---------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry, key = Entry(), None

    def finish() -> None:
        nonlocal entry, key
        if key is not None:
            entries.append(entry)
        entry, key = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entries are not used
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, key, ast.literal_eval(line))
        else:
            keyword, value = line.split(" ", 1)
            if keyword == "msgid" and key is not None and key.startswith("msgstr"):
                finish()
            key = keyword
            entry.line = entry.line or number
            _append(entry, key, ast.literal_eval(value), start=True)
    finish()
    return entries


def _append(entry: Entry, key: str, text: str, start: bool = False) -> None:
    if key.startswith("msgstr"):
        index = int(key[7:-1]) if key.startswith("msgstr[") else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif start:
        setattr(entry, key, text)
    else:
        setattr(entry, key, getattr(entry, key) + text)


def messages() -> list[Entry]:
    return [entry for entry in read_po(PO) if entry.msgid]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# --- the catalog itself -------------------------------------------------------------------------


def test_the_catalog_has_the_strings_of_every_app():
    entries = messages()
    assert len(entries) > 300
    ids = {entry.msgid for entry in entries}
    # One from each part that exists: base template, portal, identity, catalog, calendar, API.
    for msgid in (
        "Bỏ qua, đến nội dung chính",
        "Tìm thủ tục hành chính",
        "Đăng ký tài khoản",
        "Thời hạn giải quyết",
        "Chủ Nhật",
        "Dữ liệu gửi lên không hợp lệ.",
    ):
        assert msgid in ids


def test_every_msgid_has_an_english_translation():
    untranslated = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in messages()
        if not all(entry.msgstr.get(i) for i in range(2 if entry.msgid_plural else 1))
    ]
    assert not untranslated, "\n".join(untranslated)


def test_no_fuzzy_entries_and_the_header_says_english():
    fuzzy = [entry.msgid for entry in messages() if "fuzzy" in entry.flags]
    assert not fuzzy
    header = next(entry for entry in read_po(PO) if entry.msgid == "").msgstr[0]
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in messages():
        expected = {0: entry.msgid, 1: entry.msgid_plural or entry.msgid}
        for index, text in entry.msgstr.items():
            if placeholders(text) != placeholders(expected[index]):
                wrong.append(f"line {entry.line}: {entry.msgid!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_english_is_english_not_a_copy_of_the_vietnamese():
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
    # Vietnamese names kept on purpose inside an English sentence (search examples, places).
    allowed = {
        "Ví dụ: khai sinh, giấy phép xây dựng, 1.001193",
        "Ví dụ: Sở Tư pháp, Phường Tân Ninh.",
    }
    copied = [
        entry.msgid
        for entry in messages()
        if entry.msgid not in allowed and any(vietnamese.search(s) for s in entry.msgstr.values())
    ]
    assert not copied


def test_the_compiled_mo_matches_the_po():
    # Compared by content, not by file times: a git checkout gives both files arbitrary mtimes.
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages():
        if entry.msgid_plural:
            got = (
                compiled.ngettext(entry.msgid, entry.msgid_plural, 1),
                compiled.ngettext(entry.msgid, entry.msgid_plural, 2),
            )
            want = (entry.msgstr[0], entry.msgstr[1])
        elif entry.msgctxt is not None:
            got, want = compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr[0]
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr[0]
        if got != want:
            stale.append(entry.msgid)
    assert not stale, f"run `make messages`: {len(stale)} entries differ, e.g. {stale[:3]}"


# --- gettext in code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "english"),
    [
        ("Thủ tục hành chính", "Administrative procedures"),
        ("Chủ Nhật", "Sunday"),
        ("Bạn cần đăng nhập để thực hiện thao tác này.", "You need to sign in to do this."),
        ("Trực tuyến toàn trình", "Full online"),
    ],
)
def test_override_english_translates_and_vietnamese_stays(msgid, english):
    with translation.override("en"):
        assert _(msgid) == english
    with translation.override("vi"):
        assert _(msgid) == msgid


def test_plural_forms_in_english():
    with translation.override("en"):
        one = translation.ngettext("%(n)s thủ tục", "%(n)s thủ tục", 1) % {"n": 1}
        many = translation.ngettext("%(n)s thủ tục", "%(n)s thủ tục", 62) % {"n": 62}
    assert (one, many) == ("1 procedure", "62 procedures")


# --- pages and API through the test client ------------------------------------------------------


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_home_page_in_english_by_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert '<h1 id="hero-title">Tây Ninh Public Service Portal</h1>' in html
    assert "Find an administrative procedure" in html
    assert "Governing body: Tây Ninh Provincial People&#x27;s Committee" in html
    assert "Tìm thủ tục hành chính" not in html


@pytest.mark.django_db
def test_home_page_stays_vietnamese(client):
    for headers in ({"HTTP_ACCEPT_LANGUAGE": "vi-VN,vi;q=0.9"}, {}):
        html = client.get("/", **headers).content.decode()
        assert '<html lang="vi">' in html
        assert '<h1 id="hero-title">Cổng dịch vụ công Tây Ninh</h1>' in html
        assert "Tìm thủ tục hành chính" in html
        assert "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Tây Ninh" in html
        assert "Public Service Portal" not in html


@pytest.mark.django_db
def test_catalog_page_follows_the_language_cookie(client):
    html = english(client).get("/thu-tuc/?q=1.001193").content.decode()
    assert "<h1>Administrative procedures</h1>" in html
    assert "1 procedure for “1.001193”" in html
    assert "Processing time: Same day (before 15:00)" in html
    # Procedure names are data, not msgids: they stay Vietnamese on English pages.
    assert "Đăng ký khai sinh" in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get("/thu-tuc/").content.decode()
    assert "<h1>Thủ tục hành chính</h1>" in html


@pytest.mark.django_db
def test_the_switcher_sets_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})
    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Administrative procedures</h1>" in client.get("/thu-tuc/").content.decode()

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "<h1>Thủ tục hành chính</h1>" in client.get("/thu-tuc/").content.decode()


@pytest.mark.django_db
def test_calendar_reasons_in_both_languages(client):
    # 1 March 2026 is a Sunday, 2 March a Monday.
    sunday = "/api/v1/calendar/day?date=2026-03-01"
    monday = "/api/v1/calendar/day?date=2026-03-02"
    assert client.get(sunday, HTTP_ACCEPT_LANGUAGE="en").json()["reason"] == "Sunday"
    assert client.get(monday, HTTP_ACCEPT_LANGUAGE="en").json()["reason"] == "Working day (Monday)"
    assert client.get(sunday, HTTP_ACCEPT_LANGUAGE="vi").json()["reason"] == "Chủ Nhật"
    assert client.get(monday).json()["reason"] == "Ngày làm việc (Thứ Hai)"


@pytest.mark.django_db
def test_api_error_messages_in_both_languages(client):
    bad_date = "/api/v1/calendar/day?date=13/02/2026"
    body = client.get(bad_date, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body == {
        "code": body["code"],
        "message": "Invalid date; use the format YYYY-MM-DD, for example 2026-02-17.",
    }
    vi = client.get(bad_date, HTTP_ACCEPT_LANGUAGE="vi").json()
    assert vi["message"] == "Ngày không hợp lệ; dùng định dạng YYYY-MM-DD, ví dụ 2026-02-17."

    missing = english(client).get("/api/v1/procedures/0.000000")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": "Procedure 0.000000 not found."}


@pytest.mark.django_db
def test_the_switcher_names_each_language_in_itself(client):
    # Not "Tiếng Anh" on a Vietnamese page: someone looking for English must recognise it.
    for language in ("vi", "en"):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert re.search(r'<option value="en" lang="en"[^>]*>English</option>', html)
        assert re.search(r'<option value="vi" lang="vi"[^>]*>Tiếng Việt</option>', html)
