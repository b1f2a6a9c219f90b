from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """``72.456`` → ``72,5 %`` (the active language's decimal mark); None → an em dash."""
    if value is None:
        return "—"
    return f"{number_format(round(value, 1), 1)} %"


@register.filter
def has_report_scope(user) -> bool:
    """For the workspace's navigation: whether ``user`` may open the reports and dashboard."""
    from egov.reports.scope import has_scope

    return has_scope(user)
