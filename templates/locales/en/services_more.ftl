# The supplier's one services page: pausing and resuming services there.
services-column-hold = On hold
services-hold-paused = Paused by you
services-hold-running = Running

# Retiring a scope of the catalogue.
scope-status-offered = Offered
scope-status-retired = Retired
scope-retire = Retire { $code }
scope-reinstate = Offer { $code } again
notice-scope-retired = The data access is retired: it is no longer offered for new requests. Existing requests and agreements keep it.
notice-scope-reinstated = The data access is offered for new requests again.
notice-scope-unchanged = Nothing changed: the data access already was so – someone got there first.
field-retired-scope = One of the chosen data accesses is retired and can no longer be requested. Choose again among those offered.
audit-action-scope-retired = Data access retired
audit-action-scope-reinstated = Data access offered again
