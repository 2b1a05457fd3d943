# Small finishing touches to an agreement's life and the supplier's self-service.
polish-mail-intro-reason = { $intro } Begrundelse: { $reason }
polish-ending-one = Aftale { $reference } udløber { $days ->
        [0] i dag
        [one] om { $days } dag
       *[other] om { $days } dage
    }, den { $date }
polish-ending-many = { $count } aftaler udløber inden for { $days ->
        [0] i dag
        [one] { $days } dag
       *[other] { $days } dage
    }
polish-ending-line = Udløber den { $date } ({ $days ->
        [0] i dag
        [one] om { $days } dag
       *[other] om { $days } dage
    })
audit-detail-side = Part
polish-audit-agreements-terminated = Afsluttet
polish-audit-agreements-kept = Beholdt
audit-detail-request = Anmodning
polish-request-kind-new = Ny anmodning
polish-request-kind-extension = Udvidelse
polish-request-kind-renewal = Fornyelse
polish-colleague-make = Gør til { $role }
polish-colleague-make-label = Gør til { $role }: { $name }
polish-colleague-last-admin-role = Leverandøren skal have mindst én administrator. Gør en anden til administrator, før du gør den sidste til bruger.
notice-colleague-role-changed = Kollegaens rolle er ændret. Kollegaen skal logge ind igen.
