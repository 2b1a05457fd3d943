# The supplier's one services page: pausing and resuming services there.
services-column-hold = I bero
services-hold-paused = Sat i bero af jer
services-hold-running = Kører

# Retiring a scope of the catalogue.
scope-status-offered = Tilbydes
scope-status-retired = Udfaset
scope-retire = Udfas { $code }
scope-reinstate = Tilbyd { $code } igen
notice-scope-retired = Dataadgangen er udfaset: den tilbydes ikke længere ved nye anmodninger. Eksisterende anmodninger og aftaler beholder den.
notice-scope-reinstated = Dataadgangen tilbydes igen ved nye anmodninger.
notice-scope-unchanged = Intet ændret: dataadgangen var allerede sådan – en anden nåede det først.
field-retired-scope = En af de valgte dataadgange er udfaset og kan ikke længere anmodes om. Vælg igen blandt dem, der tilbydes.
audit-action-scope-retired = Dataadgang udfaset
audit-action-scope-reinstated = Dataadgang tilbudt igen
