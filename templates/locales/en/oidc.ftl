# Signing in through the identity provider (MitID Erhverv, Unilogin).
oidc-try-again = Try again
oidc-unavailable-title = The sign-in service does not answer
oidc-unavailable = We could not reach the sign-in service. Try again in a moment. If you have a password for the portal, you can also sign in with it.
oidc-refused-title = Sign-in was not completed
oidc-refused = The sign-in service reported that sign-in was cancelled or refused. You are not signed in.
oidc-bad-state-title = Sign-in has expired or is invalid
oidc-bad-state = The answer from the sign-in service did not belong to a sign-in begun in this browser, or it has already been used or has expired. Start over.
oidc-unconfirmed-title = Sign-in could not be confirmed
oidc-unconfirmed = The answer from the sign-in service could not be confirmed, so you are not signed in. Start over. If it happens again, contact the portal's operators.
no-access-title = You do not have access yet
no-access = The sign-in service has confirmed who you are, but you have not been given a role in Tilslutning. Ask the administrator of your municipality or institution to give you access, and tell them the details below.
no-access-closed-title = Your access is closed
no-access-closed = The sign-in service has confirmed who you are, but your access to Tilslutning is closed. Contact the administrator of your municipality or institution if this is a mistake.
no-access-name = Name
no-access-subject = User ID at the sign-in service
no-access-provider-logout = Sign out at the sign-in service
