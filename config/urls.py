from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.media_views import media_urlpatterns
from home.language_switch import js_catalog, switch_language
from home.staff_login import to_guarded_login
from home.text_channels import text_channels
from home.views import account_page
from ticketing.api import api
from ticketing.payments.endpoints import razorpay_callback, razorpay_webhook
from ticketing.views import booking_page
from ticketing.views.gift_cards import gift_card_page, gift_cards_page, redeem_page
from ticketing.views.invoices import credit_note_pdf, invoice_pdf
from ticketing.views.tickets import tickets_pdf

urlpatterns = [
    # Staff sign in through allauth's rate-limited login, never the admins' own login views.
    path("admin/login/", to_guarded_login),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("language/", switch_language, name="set_language"),
    path("jsi18n/<str:language>/", js_catalog, name="js_catalog"),
    path("account/", account_page, name="customer_account"),
    path("account/texts/", text_channels, name="customer_text_channels"),
    path("bookings/<str:reference>/", booking_page, name="booking_page"),
    path("gift-cards/", gift_cards_page, name="gift_cards"),
    path("gift-cards/redeem/", redeem_page, name="gift_card_redeem"),
    path("gift-cards/<str:reference>/", gift_card_page, name="gift_card_page"),
    path("bookings/<str:reference>/tickets.pdf", tickets_pdf, name="booking_tickets_pdf"),
    path("bookings/<str:reference>/invoice.pdf", invoice_pdf, name="booking_invoice_pdf"),
    path("bookings/<str:reference>/credit-notes/<int:sequence>.pdf", credit_note_pdf, name="booking_credit_note_pdf"),
    path("payments/razorpay/callback/", razorpay_callback, name="razorpay_callback"),
    path("payments/razorpay/webhook/", razorpay_webhook, name="razorpay_webhook"),
    path("payments/", include("ticketing.payments.urls")),
    # E-mail delivery tracking from the ESP: /anymail/<esp>/tracking/ (basic auth: ANYMAIL_WEBHOOK_SECRET).
    path("anymail/", include("anymail.urls")),
]

if not settings.MARQUEE_PRODUCTION:  # Django's admin (django-q2's tasks) for development only
    urlpatterns = [
        path("django-admin/login/", to_guarded_login),
        path("django-admin/", admin.site.urls),
        *urlpatterns,
    ]

if settings.MARQUEE_SERVE_MEDIA:
    urlpatterns += media_urlpatterns(settings.MEDIA_URL)

urlpatterns += [path("", include(wagtail_urls))]
