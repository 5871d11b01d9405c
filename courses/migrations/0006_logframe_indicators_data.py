"""Retire the invented indicators and load the project's logframe.

Until this migration `fixtures/reference/indicators.json` listed seven invented codes. A
course linked to one of them is linked instead to the real participant output indicators
that count the people the invented one described, so a link an administrator made keeps
its meaning. Two invented indicators have no real counterpart and their links are dropped:
no output indicator of the logframe counts teachers and local officials trained in
prevention (3.1.1; 2.4.3.5 counts teachers trained to serve survivors, another training),
or labour inspectors (3.1.2). The reference courses then take their links from
`fixtures/reference/courses.json`; from then on administrators keep them in the admin.
"""

from django.db import migrations

# invented code -> the logframe's output indicators counting the same people
RETIRED = {
    # justice operators: prosecutors, judges, public defenders, forensic staff
    "1.1.1": ("1.2.1.2", "1.2.1.3", "1.2.3.2"),
    # judges and court staff (the real 1.2.1.1 counts police officers)
    "1.2.1.1": ("1.2.1.3",),
    # police officers and prosecutors
    "1.2.1.2": ("1.2.1.1", "1.2.1.2"),
    # protection operators trained in comprehensive care: the victim-centred approach
    "2.1.1": ("2.1.2.1",),
    # health staff trained to identify and refer victims: the health protocol
    "2.1.2": ("2.3.1.2",),
    "3.1.1": (),
    "3.1.2": (),
}


def retire_invented(apps):
    """Delete the invented indicators; returns course id -> the real codes it now needs."""
    indicator_model = apps.get_model("courses", "Indicator")
    invented = indicator_model.objects.filter(code__in=RETIRED)
    links = {}
    for indicator in invented:
        for course_id in indicator.courses.values_list("pk", flat=True):
            links.setdefault(course_id, set()).update(RETIRED[indicator.code])
    invented.delete()
    return links


def forwards(apps, schema_editor):
    from registry.reference_data import load_reference_data

    indicator_model = apps.get_model("courses", "Indicator")
    course_model = apps.get_model("courses", "Course")
    links = retire_invented(apps)
    load_reference_data(apps, parts=("schools", "indicators"))
    for course_id, codes in links.items():
        course_model.objects.get(pk=course_id).indicators.add(
            *indicator_model.objects.filter(level="output", code__in=codes)
        )
    load_reference_data(apps, parts=("courses",), relink_courses=True)


def backwards(apps, schema_editor):
    # Codes are unique again once the outcome indicators are gone (0005 reversed needs it);
    # the invented indicators are not brought back.
    apps.get_model("courses", "Course").objects.update(knowledge_indicator=None)
    apps.get_model("courses", "Indicator").objects.filter(level="outcome").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_logframe_indicators"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
