from egov.identity.models import User


def demo_accounts_exist() -> bool:
    return User.objects.filter(is_demo=True).exists()
