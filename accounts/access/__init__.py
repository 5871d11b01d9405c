"""The single place that decides which rows a user may see, and what of a person they read.

- `user_scope`: whose rows a user works with - the whole registry's, one school's, or none -
  and who may manage a cohort;
- `rows`: which rows of each model a user may see;
- `personal_data`: what of a visible person's personal data a user may read, and how pages
  and form labels name persons to them.

Everything else - admin classes (through `accounts.admin_scoping`), views, exports, the
import's person lookup, any later API - asks these functions instead of filtering on its own.
"""
