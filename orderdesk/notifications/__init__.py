"""Customer notifications: Liquid templates (packaged defaults or merchant edits) and SMTP delivery."""
