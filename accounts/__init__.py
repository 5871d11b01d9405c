"""Who may see and do what: roles, school memberships, consent texts, the access policy
(access/), password rules and the production database roles."""
