"""The label service: prepaid labels for parcels the shop pays for (a customer's return, a
replacement), issued through a carrier-label adapter and printed as a PDF. Returns and wrong
items both call it (services.label_issue, services.label_send) without importing each other."""
