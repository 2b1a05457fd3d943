# Small finishing touches to an agreement's life and the supplier's self-service.
polish-mail-intro-reason = { $intro } Reason: { $reason }
polish-ending-one = Agreement { $reference } ends { $days ->
        [0] today
        [one] in { $days } day
       *[other] in { $days } days
    }, on { $date }
polish-ending-many = { $count } agreements end { $days ->
        [0] today
        [one] within { $days } day
       *[other] within { $days } days
    }
polish-ending-line = Ends on { $date } ({ $days ->
        [0] today
        [one] in { $days } day
       *[other] in { $days } days
    })
audit-detail-side = Side
polish-audit-agreements-terminated = Ended
polish-audit-agreements-kept = Kept
audit-detail-request = Request
polish-request-kind-new = New request
polish-request-kind-extension = Extension
polish-request-kind-renewal = Renewal
polish-colleague-make = Make { $role }
polish-colleague-make-label = Make { $role }: { $name }
polish-colleague-last-admin-role = The supplier must keep at least one admin. Make someone else an admin before making the last one a user.
notice-colleague-role-changed = The colleague's role has been changed. They must sign in again.
