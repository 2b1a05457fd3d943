# The supplier's own account (services, colleagues, activity) and the operators'
# administration of suppliers and the scope catalogue.
nav-supplier-account = Supplier account
nav-suppliers = Suppliers
nav-scopes = Data scopes
account-tabs-label = The supplier account
account-tab-services = Services
account-tab-colleagues = Colleagues
account-tab-activity = Activity

admin-field-name = Name
admin-field-description = Description
admin-field-website = Website
admin-field-privacy-url = Privacy policy (address)
admin-field-contact-email = Contact email
admin-field-cvr = CVR number
admin-field-code = Code
admin-field-name-da = Name in Danish
admin-field-name-en = Name in English
admin-field-description-da = Description in Danish
admin-field-description-en = Description in English
admin-field-sensitive = Sensitive
admin-field-sort-order = Order
admin-hint-web-address = A full address starting with https:// or http://, e.g. https://example.com/privacy.
admin-problem-missing = Fill in { $field }.
admin-problem-too-long = { $field } is too long.
admin-problem-not-a-web-address = { $field } must be a full web address starting with https:// or http://.
admin-problem-not-an-email = { $field } must be an email address like name@example.com.
admin-problem-cvr-digits = { $field } must be 8 digits.
admin-problem-cvr-checksum = { $field } is not a valid CVR number (its check digit does not match). Check that it is typed correctly.
admin-problem-bad-code = { $field } may only hold capital letters A–Z, digits and _.
admin-problem-not-a-number = { $field } must be a whole number.
admin-problem-taken = { $field } is already in use.

services-title = Services of { $supplier }
services-new = New service
services-none = The supplier has no services yet.
services-count = { $count ->
        [one] { $count } service
       *[other] { $count } services
    }
services-supplier-unverified = The supplier has not been verified by the portal's operators yet, so it cannot file requests. Services can be created meanwhile.
service-status-active = Active
service-status-retired = Retired
service-is-retired = The service is retired: it takes no new requests.
service-not-saved = The service was not saved. Correct the fields below.
service-save = Save the service
service-retire-heading = Retire the service
service-retire-explained = A retired service takes no new requests, and its pending requests lapse. You choose what happens to its agreements on the next page.
service-retire = Retire the service
retire-heading = Retire { $service }
retire-no-new-requests = The service can no longer be chosen when filing requests.
retire-pending-lapse = { $count ->
        [0] There are no pending requests.
        [one] { $count } pending request lapses, and the institution is told.
       *[other] { $count } pending requests lapse, and the institutions are told.
    }
retire-agreements-question = { $count ->
        [one] The service has { $count } agreement in force. What should happen to it?
       *[other] The service has { $count } agreements in force. What should happen to them?
    }
retire-agreements-end = Terminate them now (the institutions are told)
retire-agreements-keep = Keep them running until they expire or are ended
retire-no-agreements = The service has no agreements in force.
retire-choose = Choose what happens to the agreements.
reason-service-retired = The supplier has retired the service { $service }.

colleagues-title = Colleagues at { $supplier }
colleagues-count = { $count ->
        [one] { $count } person
       *[other] { $count } people
    }
colleague-actions = Actions
colleague-remove = Remove
colleague-you = You
colleague-invite-heading = Invite a colleague
colleague-role = Role
colleague-invite-hint = Your colleague gets an email with a link to choose a password. The role holds at this supplier only.
colleague-invite = Send invitation
colleague-not-invited = The invitation was not sent. Correct the fields below.
colleague-problem-role = Choose supplier user or supplier admin.
colleague-problem-email-taken = { $email } already has an account in the portal. Ask the portal's operators to attach it to the supplier.
colleague-last-admin = The supplier must keep at least one admin. Make someone else an admin before removing the last one.

activity-title = Activity at { $supplier }
activity-intro = Who did what on the supplier's account, newest first: services, colleagues, requests and agreements.
activity-none = There is no activity yet.
activity-caption = The supplier's activity

filing-supplier-not-verified-heading = The supplier is not verified yet
filing-supplier-not-verified = { $supplier } has not been verified by the portal's operators yet, so no requests can be filed. The operators verify suppliers by their CVR number; contact them if it takes long.
filing-supplier-not-verified-short = The supplier has not been verified by the portal's operators yet, so no requests can be filed.

suppliers-intro = Suppliers are created with a name and a CVR number and must be verified before they can file requests.
suppliers-count = { $count ->
        [one] { $count } supplier
       *[other] { $count } suppliers
    }
supplier-verified = Verified
supplier-is-verified = Yes
supplier-not-verified = No
supplier-verify = Verify
supplier-unverify = Take verification back
supplier-choose-verification = Choose whether the supplier is verified.
supplier-new-heading = Create a supplier
supplier-cvr-hint = 8 digits, e.g. 10150345. The check digit is checked.
supplier-create = Create the supplier
supplier-not-created = The supplier was not created. Correct the fields below.

scopes-intro = The data scopes suppliers can ask for. A code cannot be changed or removed, because requests and agreements refer to it.
scopes-new = New data scope
scopes-count = { $count ->
        [one] { $count } data scope
       *[other] { $count } data scopes
    }
scopes-in-use = Used in requests and agreements
scope-code-hint = Capital letters A–Z, digits and _, e.g. ABSENCE. The code cannot be changed afterwards.
scope-code-fixed = The code cannot be changed, because requests and agreements refer to it.
scope-sensitive-label = Sensitive (the supplier must give a reason for it, and it is shown apart)
scope-save = Save the data scope
scope-not-saved = The data scope was not saved. Correct the fields below.

token-permission-administer = Administer the supplier's services and colleagues

notice-service-created = The service has been created.
notice-service-saved = The service has been saved.
notice-service-retired = The service has been retired.
notice-service-already-retired = The service was already retired.
notice-colleague-invited = The invitation has been sent.
notice-colleague-removed = The colleague has been removed from the supplier.
notice-supplier-created = The supplier has been created. It must be verified before it can file requests.
notice-supplier-verified = The supplier has been verified.
notice-supplier-unverified = The supplier's verification has been taken back.
notice-scope-created = The data scope has been created.
notice-scope-saved = The data scope has been saved.

api-error-supplier-not-verified = The supplier has not been verified by the portal's operators yet, so it cannot file requests.
api-error-last-admin = The supplier must keep at least one admin.

register-field-description = Description
register-field-website = Website
register-field-privacy_url = Privacy policy
register-field-contact_email = Contact email
register-field-name_da = Name in Danish
register-field-name_en = Name in English
register-field-description_da = Description in Danish
register-field-description_en = Description in English
register-field-sensitive = Sensitive
register-field-sort_order = Order
audit-detail-description = Description
audit-detail-website = Website
audit-detail-privacy_url = Privacy policy
audit-detail-contact_email = Contact email
audit-detail-name_da = Name in Danish
audit-detail-name_en = Name in English
audit-detail-description_da = Description in Danish
audit-detail-description_en = Description in English
audit-detail-sensitive = Sensitive
audit-detail-sort_order = Order
audit-detail-cvr = CVR number
audit-detail-verified = Verified
audit-detail-agreements = The agreements
audit-detail-open_agreements = Agreements in force

detail-service-description = About the service
detail-service-privacy = Privacy policy
transparency-purpose = Purpose
transparency-privacy = Privacy policy
transparency-privacy-link = Read the privacy policy
