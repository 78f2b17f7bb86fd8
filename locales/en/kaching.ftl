# KACHING, English. The same ids and arguments as in fr/ and nl/.

## Login
login-unknown-id = unknown ID '{ $id }'
login-disabled = { $name } is disabled
login-locked = too many attempts: locked for { $minutes } min
login-locked-now = { $failures } wrong PINs: locked for 15 min
login-bad-pin = { $attempts ->
    [one] wrong PIN: 1 attempt left
   *[other] wrong PIN: { $attempts } attempts left
}
login-closed = shop closed: it is { $time }; opening hours { $hours }
login-closed-today = shop closed today: it is { $time }
login-already = { $name } is logged in; log out first

## Session
session-not-logged-in = log in first (login <id> <pin>)
session-nobody = nobody is logged in
session-locked = session locked after { $minutes } idle minutes: { $name } must log in again
logout-payment = finish or cancel the payment before logging out

## Basket
basket-unknown-code = unknown article or barcode '{ $code }'
basket-unknown-label = in-store label '{ $code }': no article '{ $article }'
basket-weighed-too-large = the weighed price is too large
basket-being-paid = the { $account ->
    [sub] sub
   *[other] main
} basket is being paid; finish or cancel the payment first
basket-held = the { $account ->
    [sub] sub
   *[other] main
} basket is held by a payment: finish or cancel it first
basket-empty = the { $account ->
    [sub] sub
   *[other] main
} basket is empty: nothing to pay

## Payment
payment-in-progress = a payment is already in progress
pay-qr-unavailable = no payment server is configured on this till: pay cash (pay <main|sub> cash [tendered])
pay-not-recorded = the payment could not be recorded: { $error }
pay-sale-not-recorded = the sale could not be recorded: { $error }
pay-unavailable = { $error }: pay cash, or try again
pay-already-paid = the customer has already paid: press accept to record the sale
pay-not-paid-yet = the customer has not confirmed the payment yet
pay-nothing-to-accept = no payment is waiting to be accepted
pay-nothing-to-cancel = no payment to cancel
pay-recording = a sale is being recorded
pay-tender-too-low = { $tendered } tendered is less than the { $total } to pay
reprint-nothing = no ticket has been printed on this till yet

## Start-up
central-unusable = central database unusable, sales stay in this till until central.url is fixed: { $error }

## The customer's page (phone)
page-title = Payment
page-total = Total: { $amount }
page-seller = Seller: { $seller }
page-confirm = Confirm the payment
page-to-pay = To pay: press the button to pay { $amount }.
page-paid = Paid ✓ Thank you!
page-cancelled = Payment cancelled by the till.
page-expired = Payment expired. Ask the till for a new code.
page-no-such-link = This payment link does not exist.
page-bad-form = Invalid form: reload the page.
page-refused = Request refused.
page-refused-reload = Request refused: reload the page.
page-already-paid = This payment has already been confirmed.
page-was-cancelled = This payment was cancelled.
page-was-expired = This payment has expired.
page-amount-mismatch = The amount does not match: reload the page.
page-bad-language = Unknown language: choose FR, NL or EN.
page-languages = Language

## Administration
admin-not-found = not found
admin-no-such-staff = no such staff member
admin-no-such-product = no such article
admin-central-unreachable = central database unreachable, nothing changed: { $detail }
admin-central-conflict = another change to the central database got in the way, retried { $tries } times; nothing changed, try again: { $detail }
admin-central-refused = refused by the central database, nothing changed: { $detail }
admin-central-unusable = the central database is configured but unusable (see the log), nothing changed
admin-saved-centrally = saved in the central database but not yet on this till (the next sync applies it): { $detail }
admin-only = admins only ({ $name } is a { $role })
admin-cannot-write = cannot write to { $dir }: { $error }
admin-nothing-imported = { $error }; nothing was imported
admin-staff-exists = staff ID { $id } already exists
admin-not-yourself = you cannot disable yourself
admin-unknown-id = unknown ID { $id }

## The ticket
ticket-vat = VAT
ticket-duplicate = DUPLICATE
ticket-main = MAIN ACCOUNT
ticket-sub = SUB-ACCOUNT
ticket-number = Ticket
ticket-number-line = Ticket: { $value }
ticket-till = Till
ticket-till-line = Till: { $value }
ticket-date = Date
ticket-date-line = Date: { $value }
ticket-seller = Seller
ticket-seller-line = Seller: { $value }
ticket-article = Item
ticket-qty = Qty
ticket-price = Price
ticket-each = at
ticket-total = TOTAL PAID
ticket-withdrawal = of which cash withdrawal
ticket-base = Net
ticket-payment = Payment
ticket-cash = Cash
ticket-cash-received = Cash received
ticket-change = Change
ticket-rounding = Rounding
ticket-cash-due = Due in cash
ticket-provider-ref = Payment ref.
ticket-thanks = Thank you for your visit!
ticket-seal = Seal
ticket-credit-note = CREDIT NOTE
ticket-credit-for = Refers to ticket no. { $ticket } of { $date }
ticket-reason = Reason
ticket-reason-line = Reason: { $value }
ticket-approved = Approved by
ticket-approved-line = Approved by: { $value }
ticket-discount = Discount
ticket-discount-total = Total discounts
ticket-credit-total = TOTAL
ticket-refunded-cash = Refunded in cash
ticket-refunded-qr = Refunded via QR

## The drawer's slips (cash in/out) and the X/Z on the till's printer (src/domain/drawer_print.rs).
slip-in = CASH IN
slip-out = CASH OUT
slip-session = Session (Z)
slip-session-line = Session (Z): { $value }
slip-move = Move
slip-move-line = Move: { $value }
slip-cashier = Cashier
slip-cashier-line = Cashier: { $value }
slip-amount = AMOUNT
slip-reason = Reason
slip-reason-line = Reason: { $value }
slip-signature = Signature
slip-z-title = Z REPORT no. { $no }
slip-x-title = X REPORT
slip-x-session = session { $no } in progress

## The basket's refusals (src/actors/basket.rs).
basket-no-line = line { $line } does not exist
basket-qty-below-one = to take the article off: delete the line
basket-bad-qty = quantity { $qty } refused (1 to { $max })
basket-withdrawal-qty = a withdrawal's quantity cannot change: delete the line
basket-zero-withdrawal = a withdrawal must be more than €0.00
basket-withdrawal-max = withdrawals in this basket would reach { $total }, above the maximum of { $max }
basket-full = the basket is full ({ $max } lines)
basket-overflow = the amount is too large
basket-inactive = product { $product } is disabled

## Bad input: amounts, codes, products, staff (src/domain), and the headless commands.
money-empty = empty amount
money-malformed = '{ $value }' is not an amount (use 15, 15.00 or 15,00)
money-negative = '{ $value }' is negative; amounts are positive
money-too-precise = '{ $value }' has more than two decimals
money-too-large = '{ $value }' is too large (at most €1,000,000.00)
money-overflow = the amount is too large
code-empty = empty code
code-too-long = code '{ $value }' is too long (at most 32 characters)
code-bad-characters = code '{ $value }' contains spaces or control characters
code-check-digit = barcode '{ $value }' has a wrong check digit (a bad read? scan again)
product-bad-vat = vAT rate '{ $value }' is not one of 0, 6, 12, 21
product-empty-name = the product name is empty
product-name-too-long = the product name is too long (at most { $max } characters)
product-bad-price = price { $price } is not between €0.00 and €10,000.00
staff-bad-id = staff ID '{ $value }' must be 1 to 8 digits
staff-bad-pin = a PIN is 4 to 8 digits
staff-bad-role = role '{ $value }' is not cashier or admin
staff-bad-name = the name is empty or longer than 40 characters
cmd-too-long = line longer than { $max } bytes
cmd-empty = empty command
cmd-not-utf8 = the line is not valid UTF-8
cmd-usage = usage: { $usage }
cmd-bad-line = '{ $value }' is not a line number (1, 2, …)
cmd-bad-qty = '{ $value }' is not a quantity (1 to 999)
cmd-bad-account = '{ $value }' is not main or sub
cmd-bad-method = '{ $value }' is not qr or cash
cmd-tendered-cash-only = an amount tendered is only for cash
cmd-bad-lang = '{ $value }' is not fr, nl or en
cmd-unknown = unknown command '{ $verb }' ({ $verbs })
instore-check-digit = in-store barcode '{ $value }' has a wrong check digit (a bad read? scan again)
instore-value-check = in-store barcode '{ $value }' has a wrong price/weight check digit (a bad read? scan again)
instore-zero = in-store barcode '{ $value }' carries a zero price or weight
admin-staff-lang = { $id }: language { $lang }, from their next login
pay-server-manual-warning = WARNING: pay_server.provider = "manual": nothing proves a payment on this server (whoever presses the customer page's button "pays"). For the demo and the tests only; a shop sets pay_server.provider = "payconiq".
pay-cancelled-expired = The Payconiq payment expired: nothing was paid.
pay-cancelled-failed = The Payconiq payment failed: nothing was paid.
pay-cancelled-authorization-failed = The customer's bank refused the Payconiq payment: nothing was paid.
pay-cancelled-cancelled = The Payconiq payment was cancelled: nothing was paid.
pay-provider-bad-api-key = Payconiq refuses the shop's API key: take cash, and tell the manager (pay_server.payconiq).
pay-provider-unknown-profile = Payconiq does not know the shop's payment profile: take cash, and tell the manager.
pay-provider-rate-limited = Payconiq is busy: try again in a moment, or take cash.
pay-provider-down = Payconiq cannot be reached: take cash.
pay-provider-refused = Payconiq refused the payment: take cash.
pay-provider-offline = No internet: a QR payment is not possible now. Take cash.

## The cash drawer (src/actors/mod.rs, src/actors/command.rs).
drawer-already-open = a drawer is already open: close it (Z) before opening another
drawer-none-open = no drawer is open
drawer-payment-in-progress = a payment is in progress: finish or cancel it before the Z
drawer-amount-not-positive = the amount must be more than €0.00
drawer-amount-too-large = the amount cannot be more than { $max }
drawer-amount-negative = a float or a count cannot be negative
drawer-no-reason = give a reason (e.g. bank, change)
drawer-bad-reason = the reason must be at most { $chars } printable characters

## Discounts, approvals, returns
discount-bad-percent = a percentage goes from 0.01 % to 100 %
discount-not-positive = a discount must be more than 0,00 €
discount-above-line = the discount ({ $discount }) is more than what it reduces ({ $of })
discount-bad-price = a new price goes from 0,00 € up to, not including, the catalogue price ({ $list })
discount-withdrawal = a cash withdrawal is never discounted
discount-nothing = nothing in this basket can be discounted
approval-reason-needed = this discount needs a manager's approval: give a reason
approval-nothing = nothing is waiting for a manager's approval
approval-not-manager = only a manager (admin) can approve
refund-bad-reason = a reason is required, at most { $chars } printable characters
refund-bad-ticket = "{ $value }" is not a ticket: its number, till/number, or the ticket's QR code
refund-bad-qty = quantity "{ $value }" is not possible (0 to 999)
refund-no-line = the ticket has no line { $line }
refund-withdrawal = a cash withdrawal is not refunded
refund-over-return = only { $returnable } can still be returned on line { $line }
refund-over-return-now = these articles were just returned: open the ticket again
refund-nothing = no line is picked for the return
refund-is-credit-note = this ticket is a credit note: it cannot be refunded
refund-unknown-ticket = unknown ticket
refund-unknown-no-central = unknown ticket on this till, and no central database to look elsewhere
refund-central-down = another till's ticket is looked up in the central database, which cannot be reached: { $error }
refund-none = no return in progress: start with the ticket
refund-no-provider = this QR sale has no payment reference: refund in cash
refund-no-server = no payment server is configured: refund in cash
refund-provider-refused = the refund through the app was refused ({ $reason }): refund in cash
refund-unconfirmed = the payment server does not answer; the till asks again and records the credit note as soon as it answers
approval-detail-line = line { $line }: { $rule } = −{ $amount } ({ $pct })
approval-detail-basket = basket: { $rule } = −{ $amount } ({ $pct })
approval-detail-refund = ticket { $ticket }: −{ $amount } ({ $method ->
    [cash] cash
   *[other] as paid (QR)
})
