"""The customer's account page (owned by the accounts work)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def account_page(request):
    return render(request, "home/account_page.html", {})
