"""The learning app's e-mails (registered with the outbox in ``AppConfig.ready``)."""
