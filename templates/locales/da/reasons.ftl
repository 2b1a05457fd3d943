# Reasons the system gives when it ends a request or an agreement (reason-<code>).
reason-institution-closed = Institutionen { $number } er lukket.
reason-institution-closed-continued = Institutionen { $number } er lukket; den videreføres som { $successor }.
reason-end-date-passed = Slutdatoen er passeret.
reason-moved-to-successor = Flyttet fra { $from } til { $to } ({ $reference }).
