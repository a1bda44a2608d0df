"""The shopper's order status page at /status/{key} (the order's ``order_status_url``)."""
