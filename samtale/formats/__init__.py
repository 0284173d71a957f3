"""Dates, times and numbers as Danes write them in Danish and as the English write them in English
(``FORMAT_MODULE_PATH``): Django's formats for each language, with Samtale's choices on top. Pages,
e-mails and PDFs name a format (``DATE_FORMAT``), never write one out, so one place decides.
The filters that need more than one name (a weekday before the date, a count with its thousands
separator) are ``samtale.lib.formatting``."""
