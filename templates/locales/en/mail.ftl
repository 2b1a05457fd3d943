# Mail: notifications about requests and agreements, the daily digest, invitation and
# password links, and the footer every mail ends with.

## Lines shared by several mails
mail-line-institution = Institution: { $number } { $name }
mail-line-scopes = Data scopes: { $scopes }
mail-line-service = Service: { $service } ({ $supplier })
mail-scope-sensitive = { $name } (sensitive)
mail-line-reason = Reason: { $reason }

## Requests waiting for a decision
mail-undecidable = Nobody can decide this request yet: { $institution } has no registered approver in Tilslutning. The institution's management must have an employee registered as approver (role: { $role } for { $number }); Tilslutning's operators register them on request. Until then the request waits, and the operators have it on their list.
mail-outro-decide = Approve or reject in Tilslutning.
mail-outro-nobody = Nobody can approve or reject { $count ->
        [one] this request
       *[other] these requests
    } until the institution has a registered approver. Contact Tilslutning's operators to have one registered.
mail-outro-some = Approve or reject in Tilslutning. Nobody can decide the requests marked above until the institution has a registered approver.
mail-new-subject-one = New data-access request: { $reference } ({ $institution })
mail-new-subject-many = { $count ->
        [one] { $shown } new data-access request
       *[other] { $shown } new data-access requests
    }
mail-new-heading = { $count ->
        [one] A new request is waiting for a decision
       *[other] New requests are waiting for a decision
    }
mail-new-heading-no-approver = { $count ->
        [one] New request – the institution has no approver
       *[other] New requests – the institution has no approver
    }
mail-new-intro = { $count ->
        [one] A supplier has requested data access at an institution you decide for:
       *[other] A supplier has requested data access at institutions you decide for:
    }
mail-new-intro-no-approver = A supplier has requested data access at an institution that nobody in Tilslutning can decide for yet. You are told as the institution's or municipality's contact:
mail-reminder-subject = { $count ->
        [one] { $shown } request is still waiting for your decision
       *[other] { $shown } requests are still waiting for your decision
    }
mail-reminder-heading = Reminder
mail-reminder-intro = { $count ->
        [one] This request has
       *[other] These requests have
    } waited more than { $days ->
        [one] { $days } day
       *[other] { $days } days
    }:

## The decision, as a receipt to the supplier
mail-decision-subject-approved = Decision on { $reference }: approved
mail-decision-subject-rejected = Decision on { $reference }: rejected
mail-decision-heading-approved = Request { $reference } was approved
mail-decision-heading-rejected = Request { $reference } was rejected
mail-decision-intro = { $service } – { $institution } ({ $municipality })
mail-decided-by-role = Decided by: { $name } ({ $role }), { $when }
mail-decided-by-delegation = Decided by: { $name } under a delegation, { $when }
mail-decided-by = Decided by: { $name }, { $when }
mail-delegation-institution = Delegation from { $institution }: the municipality ({ $municipality }) decides for the institution ({ $from }–{ $until }).
mail-delegation-colleague = Delegation from { $grantor } to decide as a daycare officer in { $municipality } ({ $from }–{ $until }).
mail-delegation-unknown = The decision was made under a delegation.
mail-line-granted = Approved: { $scopes }
mail-line-refused = Not approved: { $scopes }
mail-line-agreement = Agreement: { $reference }
mail-line-comment = Comment: { $comment }
mail-decision-outro = This mail is a receipt for the decision.

## A request that ended without a decision
mail-withdrawn-subject = { $reference } was withdrawn
mail-withdrawn-heading = Request withdrawn
mail-withdrawn-intro = The supplier has withdrawn the request. There is nothing more for you to do.
mail-line-withdrawn = Withdrawn by: { $name }, { $when }
mail-lapsed-subject = { $reference } has lapsed
mail-lapsed-heading = Request lapsed
mail-lapsed-intro = The request has lapsed without a decision and can no longer be decided.
mail-line-lapsed = Lapsed: { $when }
mail-line-cause = Reason: { $reason }

## Agreements
mail-agreement-terminated = Agreement { $reference } was terminated by the supplier
mail-agreement-revoked = Agreement { $reference } was revoked by the institution
mail-agreement-expired = Agreement { $reference } has expired
mail-agreement-ended = Agreement { $reference } has ended
mail-agreement-closed-intro = Data access under the agreement has stopped.
mail-moved-subject = Agreement moved to { $number } – { $reference }
mail-moved-heading = The agreement has moved to the institution's G number
mail-moved-intro = The institution's old A number is being phased out. The agreement now applies to the G number; use it in your integration.
mail-moved-title = { $reference } – { $service }

## The daily digest
mail-digest-subject = Daily digest from Tilslutning: { $count ->
        [one] { $shown } message
       *[other] { $shown } messages
    }
mail-digest-heading = Daily digest
mail-digest-intro = Since the last digest:

## Invitation and password links
mail-invite-subject = You are invited to Tilslutning
mail-invite-heading = Welcome to Tilslutning
mail-invite-intro-by = { $inviter } has added you to Tilslutning.
mail-invite-intro = You have been added to Tilslutning.
mail-invite-title = Choose your password
mail-invite-valid = The link works for 7 days, and only once.
mail-reset-subject = New password for Tilslutning
mail-reset-heading = Choose a new password
mail-reset-intro = Someone asked to reset the password of your account.
mail-reset-valid = The link works for one hour, and only once.
mail-reset-outro = If you did not ask for this, you can ignore this mail. Your password is unchanged.

## The footer
mail-footer-why = You receive this mail because of your role in Tilslutning.
mail-footer-choose = Choose a daily digest or another language on { $page }.
mail-footer-page = your profile page
mail-footer-choose-text = Choose a daily digest or another language on your profile page: { $url }
