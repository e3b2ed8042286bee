"""Payment pages under /payments/ (the Razorpay callback and webhook join these)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sandbox/<str:order_id>/", views.sandbox_checkout, name="sandbox_checkout"),
]
