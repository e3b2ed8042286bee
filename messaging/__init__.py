"""Customers' mobile numbers and the texts (SMS, WhatsApp) sent to them, once each."""
