import unicodedata

import pytest
from django.template import TemplateDoesNotExist

from egov.notify import services


@pytest.mark.parametrize("template", services.TEMPLATES)
def test_every_template_renders_all_four_parts(template, context):
    rendered = services.render(template, context)

    assert "STP-250812-0007" in rendered.subject
    assert "\n" not in rendered.subject
    assert "STP-250812-0007" in rendered.text
    assert 'lang="vi"' in rendered.html
    assert "STP-250812-0007" in rendered.sms
    assert "http://127.0.0.1:8000/tra-cuu/?ma=STP-250812-0007" in rendered.sms
    # Text the way Vietnamese readers expect it: precomposed (NFC) letters.
    for part in (rendered.subject, rendered.text, rendered.html, rendered.sms):
        assert unicodedata.normalize("NFC", part) == part


@pytest.mark.parametrize("template", services.TEMPLATES)
def test_sms_is_short_and_carries_no_personal_identifiers(template, context):
    sms = services.render(template, {**context, "citizen_id": "079203001234"}).sms

    assert len(sms) <= 200
    assert "079203001234" not in sms
    assert "Trần Thị Bích Ngọc" not in sms


def test_acceptance_shows_the_due_moment_in_province_time(context):
    rendered = services.render("dossier_accepted", context)

    assert rendered.subject == "Hồ sơ STP-250812-0007 đã được tiếp nhận"
    assert "Kính gửi Trần Thị Bích Ngọc," in rendered.text
    assert "Ngày hẹn trả kết quả: 15/08/2025 09:30" in rendered.text
    assert "Thủ tục: Cấp phiếu lý lịch tư pháp cho công dân Việt Nam" in rendered.text
    assert "Sở Tư pháp tỉnh Tây Ninh đã tiếp nhận hồ sơ" in rendered.text
    assert "15/08/2025 09:30" in rendered.html
    assert 'href="http://127.0.0.1:8000/tra-cuu/?ma=STP-250812-0007"' in rendered.html
    assert "Hẹn trả kết quả: 15/08/2025 09:30" in rendered.sms


def test_site_url_setting_prefixes_the_tracking_path(settings, context):
    settings.EGOV_SITE_URL = "https://dichvucong.tayninh.gov.vn/"

    rendered = services.render("result_ready", context)

    assert "https://dichvucong.tayninh.gov.vn/tra-cuu/?ma=STP-250812-0007" in rendered.text


def test_supplement_request_lists_the_missing_items_and_reason(context):
    rendered = services.render("supplement_requested", context)

    assert "  - Bản sao căn cước công dân\n  - Tờ khai yêu cầu cấp phiếu\n" in rendered.text
    assert "Lý do: Bản sao căn cước không rõ nét" in rendered.text
    assert "<li>Tờ khai yêu cầu cấp phiếu</li>" in rendered.html
    assert "cần bổ sung 2 thành phần" in rendered.sms


def test_refusal_gives_the_reason(context):
    rendered = services.render("dossier_refused", {**context, "reason": "Không thuộc thẩm quyền"})

    assert rendered.subject == "Hồ sơ STP-250812-0007 không được giải quyết"
    assert "Lý do: Không thuộc thẩm quyền" in rendered.text
    assert "Lý do: Không thuộc thẩm quyền" in rendered.html


def test_overdue_alert_addresses_the_official(context):
    rendered = services.render("dossier_overdue", context)

    assert rendered.text.startswith("Kính gửi Lê Văn Hùng,")
    assert "Hạn giải quyết: 15/08/2025 09:30" in rendered.text
    assert "đã quá hạn từ 15/08/2025 09:30" in rendered.sms
    assert "Mở hồ sơ STP-250812-0007" in rendered.html


def test_html_escapes_but_plain_text_keeps_characters(context):
    rendered = services.render(
        "dossier_refused", {**context, "reason": "Thiếu <bản gốc> & bản sao"}
    )

    assert "Lý do: Thiếu <bản gốc> & bản sao" in rendered.text
    assert "Thiếu &lt;bản gốc&gt; &amp; bản sao" in rendered.html
    assert "<bản gốc>" not in rendered.html


def test_unknown_template_fails_at_once(context):
    with pytest.raises(TemplateDoesNotExist):
        services.render("no_such_event", context)
