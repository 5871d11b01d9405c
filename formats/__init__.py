"""Peru's number and date formats (FORMAT_MODULE_PATH) and the one helper that writes numbers.

Peru writes a decimal point and a comma between thousands ("0.85", "1,234"), as CLDR's es-PE
does; Django's generic `es` formats use a decimal comma, so `es_PE/formats.py` overrides them
for LANGUAGE_CODE "es-pe".
"""
