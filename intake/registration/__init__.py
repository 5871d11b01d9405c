"""Registration of participants by training-school staff: their cohorts, the registration
form with duplicate hints, and pre/post scores. Mounted at /schools/."""
