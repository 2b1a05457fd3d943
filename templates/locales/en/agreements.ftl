# Agreements: the list.
agreements-heading = Data-access agreements
agreements-filter-label = Filter agreements
agreements-export = Download all that match as CSV (Excel)
agreements-none = No agreements match.
agreements-count = { $count ->
        [one] { $count } agreement
       *[other] { $count } agreements
    }
column-period = Period
period-from = from { $start }
agreement-title = Agreement { $reference }
agreement-status-national = { $status } (national term: { $national })
agreement-origin = Original request
agreement-closed = Closed
agreement-granted-by = granted in { $reference }
agreement-revoke-heading = Revoke the agreement
agreement-revoke-hint = Required. The supplier sees the reason.
agreement-revoke = Revoke
agreement-move-heading = Move the agreement to { $number }
agreement-move-intro = { $legacy } is an old A-number being phased out. Move the agreement to the G-number { $number } in one step; the supplier is told.
agreement-move = Move to { $number }
agreement-terminate-heading = Terminate the agreement
agreement-terminate-reason = Reason (optional)
agreement-revoke-reason-required = Write a reason for the revocation; the supplier will see it.
agreement-already-ended = The agreement has already ended – it stands as «{ $status }».
agreement-move-not-open = The agreement is no longer active.
agreement-move-successor-closed = { $number } is closed; the agreement cannot be moved there.
agreement-move-no-successor = The register knows no G-number that replaces the institution.
confirm-what-happens = What happens when you confirm
confirm-cannot-undo = This cannot be undone.
confirm-back = Cancel and go back
confirm-revoke-heading = Revoke agreement { $reference }?
confirm-revoke-what = { $supplier } loses access to { $institution } for the service { $service } at once. The access check answers no from now on, and the supplier is told by mail, with your reason.
confirm-revoke-button = Yes, revoke the agreement
confirm-terminate-heading = Terminate agreement { $reference }?
confirm-terminate-what = The service { $service } from { $supplier } loses access to { $institution } at once. The access check answers no from now on, and the institution is told by mail.
confirm-terminate-button = Yes, terminate the agreement
