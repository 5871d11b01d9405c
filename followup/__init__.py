"""Follow-up of trained people: survey waves drawn from the registry of unique persons.

A wave's population is a set of report filters; its sample is a reproducible stratified
random draw of the persons who agreed to be contacted and can be reached (`sampling`); the
contact lists go to the survey tools in their own formats (`contact_lists`); their responses
come back through the same preview and confirm as rosters (`responses`) and update each
person's last known post; `estimates` turns them into design-based indicators with their
intervals. Consent to be contacted is recorded below, in `accounts.contact_consent`, because
the import and the school form record it too.
"""
