# Error pages: a heading and what to do.
error-go-home = Go to the front page
error-unavailable-title = The portal is temporarily unavailable
error-unavailable = The portal cannot reach its database right now. Try again in a moment — what you have already saved is not lost.
error-not-found-title = Page not found
error-not-found = We could not find what you are looking for. Check the address, or go to the front page.
error-forbidden-title = No access
error-forbidden = You do not have access to this page or action.
error-login-required-title = Sign in
error-login-required = You need to sign in.
error-csrf-title = The form has expired
error-csrf = The form could not be verified. Go back, reload the page and try again.
error-bad-request-title = Invalid request
error-unexpected-title = Something went wrong
error-unexpected = An unexpected error occurred on our side. Try again in a moment; if it keeps happening, contact support.
error-bad-query = The address held a value that is not valid. Go back and try again.
