"""Whether a customer has proved their e-mail address (allauth's code), as holds require."""


def is_verified(user) -> bool:
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()
