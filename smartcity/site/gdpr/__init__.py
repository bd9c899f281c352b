"""Personal data (GDPR): the processing register, the review of contact
persons, the right of access and the right to erasure."""
