# Reasons the system gives when it ends a request or an agreement (reason-<code>).
reason-institution-closed = Institution { $number } has closed.
reason-institution-closed-continued = Institution { $number } has closed; it continues as { $successor }.
reason-end-date-passed = The end date has passed.
reason-moved-to-successor = Moved from { $from } to { $to } ({ $reference }).
