# An agreement's life after approval: holds ("sat i bero"), reminders before the end, renewal.
hold-heading = On hold
hold-none = The agreement is not on hold. Put it on hold if data may not be read for a while; the supplier is told your reason, and you can resume it later.
hold-side-institution = the institution
hold-side-supplier = the supplier
hold-by = Put on hold by { $side }: { $reason }
hold-held-by = Put on hold by { $side }
hold-since-why = { $since }: { $reason }
hold-access-no = The access check answers no while the agreement is on hold.
hold-reason = Reason
hold-reason-hint = Required. The supplier sees the reason.
hold-suspend = Put the agreement on hold
hold-resume = Resume the agreement
hold-reason-required = Write a reason for putting the agreement on hold; the other side is shown it.
hold-already-held = The agreement is already on hold – someone else got there first.
hold-not-held = Your side no longer holds the agreement – someone else has resumed it.
hold-service-nothing = There are no agreements to change for the service.
confirm-suspend-heading = Put agreement { $reference } on hold?
confirm-suspend-what = { $supplier } may not read data from { $institution } for the service { $service } until the agreement is resumed. The access check answers no from now on, and both sides are mailed your reason.
confirm-suspend-button = Yes, put the agreement on hold
confirm-resume-heading = Resume agreement { $reference }?
confirm-resume-what = The service { $service } from { $supplier } gets access again. The access check answers yes from now on, and both sides are mailed.
confirm-resume-what-still-held = Your hold is lifted, but { $supplier } has put the service { $service } on hold itself, so the access check still answers no until the supplier resumes it. Both sides are mailed.
confirm-resume-button = Yes, resume the agreement
hold-services-heading = Put a service on hold
hold-services-intro = Putting a service on hold puts all its active agreements on hold at once, and the institutions are told. Resuming it lifts only your own hold: an agreement the institution has put on hold itself stays on hold.
hold-service-summary = { $open ->
        [one] { $open } open agreement
       *[other] { $open } open agreements
    }, { $held } of them on hold by you.
hold-service-reason = Your reason: { $reason }
hold-service-reason-hint = Required. The institutions see the reason.
hold-service-pause = Put { $service } on hold
hold-service-resume = Resume { $service }
confirm-service-pause-heading = Put the service { $service } on hold?
confirm-service-pause-what = All { $open } open agreements for { $service } are put on hold. The access check answers no for them from now on, and the institutions are mailed your reason.
confirm-service-pause-button = Yes, put the service on hold
confirm-service-unpause-heading = Resume the service { $service }?
confirm-service-unpause-what = Your hold is lifted on { $held } agreements for { $service }. Those the institution has put on hold itself stay on hold. Both sides are mailed.
confirm-service-unpause-button = Yes, resume the service
csv-on-hold = On hold
notice-suspended = The agreement is on hold. The supplier is told.
notice-resumed = The agreement is resumed. The supplier is told.
notice-resumed-still-held = Your hold is lifted, but the supplier still holds the agreement.
notice-service-paused = The service is on hold. The institutions are told.
notice-service-resumed = Your hold on the service is lifted. The institutions are told.
mail-hold-status-now = Status now: { $status }
mail-hold-suspended = Agreement { $reference } is on hold
mail-hold-resumed = Agreement { $reference } is resumed
mail-hold-resumed-still-held = Agreement { $reference }: one hold is lifted, but the agreement is still on hold
mail-hold-suspended-intro = No data may be read under the agreement until it is resumed. The access check answers no meanwhile.
mail-hold-resumed-intro = A hold is lifted. The agreement is in force again when neither side holds it.
mail-hold-service-paused = The service { $service } is on hold ({ $count ->
        [one] { $count } agreement
       *[other] { $count } agreements
    })
mail-hold-service-resumed = The service { $service } is resumed ({ $count ->
        [one] { $count } agreement
       *[other] { $count } agreements
    })
mail-hold-service-paused-intro = The supplier has put the service on hold. No data is read under these agreements until it is resumed.
mail-ending-intro = The agreement ends by itself on its end date, and the access check answers no after that.
mail-ending-outro-supplier = To continue, renew it in one click on the agreement's page; the approver gets a renewal request.
mail-ending-outro-institution = If the supplier wants to continue, you get a renewal request to decide.
renew-heading = Renew the agreement
renew-intro = The renewal goes to the approver as a request with the agreement's service, scopes and purpose. If it is approved, the same agreement continues until the new end date.
renew-until = New end date
renew-until-hint = Leave it empty for an agreement without an end date.
renew-button = Ask for renewal
renew-date-invalid = Write the end date as yyyy-mm-dd or dd-mm-yyyy, e.g. 2027-12-31.
renew-end-too-early = The new end date must come after the agreement's current end date.
renew-already-pending = A request for the service at the institution is already pending ({ $reference }).
notice-renewal-filed = The renewal request is sent. The approver is told.
request-renews = Renewal of agreement { $reference }
