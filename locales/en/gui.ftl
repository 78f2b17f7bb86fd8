# The touch screen (src/gui): buttons, titles, messages. Ids start with gui-.
# A button's text must fit its button at 800×480 (the GUI tests check it).

## Fixed buttons and titles.
gui-l-login-id = Staff ID
gui-l-login-pin = PIN
gui-l-login-ok = Log in
gui-l-till-article = Article no. (or scan)
gui-l-till-article-tip = Article number
gui-l-till-withdraw =
    Cash
    withdrawal
gui-l-till-plus = Qty +
gui-l-till-minus = Qty −
gui-l-till-void =
    Delete
    the line
gui-l-logout = Log out
gui-l-till-admin = Admin
gui-l-till-cash = Cash
gui-l-till-pay = Pay
gui-l-col-article = Article
gui-l-col-qty = Qty
gui-l-col-price = Price
gui-l-col-amount = Amount
gui-l-pay-total = TOTAL DUE
gui-l-pay-cancel = CANCEL
gui-l-tab-days = Reports
gui-l-tab-journal = Journal
gui-l-tab-products = Products
gui-l-tab-staff = Staff
gui-l-admin-till = Sell
gui-l-col-day = Day
gui-l-col-tickets = Tickets
gui-l-col-revenue = Takings
gui-l-col-withdrawals = Withdrawals
gui-l-days-open = Open
gui-l-days-delete = Delete
gui-l-col-time = Time
gui-l-col-seller = Seller
gui-l-col-product = Product
gui-l-report-back = Back
gui-l-journal-from = From
gui-l-journal-to = to
gui-l-journal-show = Show
gui-l-col-vat = VAT
gui-l-col-code = Code
gui-l-col-name = Name
gui-l-form-barcode = Barcode
gui-l-form-price = Price (€)
gui-l-products-save = Save
gui-l-products-import = Import CSV
gui-l-col-id = ID
gui-l-col-role = Role
gui-l-col-role-lang = Role · lang.
gui-l-form-pin = PIN
gui-l-staff-add = Add
gui-l-staff-reset-pin = New PIN
gui-l-reprint = Reprint
gui-l-amount-cancel = Cancel
gui-l-amount-ok = Confirm
gui-l-choose-question = Which account do you want to pay first?
gui-l-cash-title = CHANGE DUE
gui-l-ok = OK
gui-l-confirm-no = No
gui-l-confirm-yes = Yes, delete
gui-l-kbd-shift = ⇧ Shift
gui-l-kbd-space = space
gui-l-kbd-enter = Enter
gui-l-kbd-close = Close

## Texts that follow the state.
gui-seller = Seller: { $name }
gui-account-main = MAIN BASKET
gui-account-sub = SUB-ACCOUNT
gui-total-main = Main: { $amount }
gui-total-sub = Sub-account: { $amount }
gui-till-to-sub = Sub-account
gui-till-to-main =
    Main
    basket
gui-line-withdrawal = { $name } (withdrawal)
gui-pay-pending = WAITING FOR PAYMENT
gui-pay-accepted = PAYMENT ACCEPTED
gui-pay-cancelling = CANCELLING…
gui-pay-paid-after-cancel = PAID AFTER CANCEL
gui-withdraw-title = Cash withdrawal
gui-cash-title-main = Cash · main · amount received (empty = exact)
gui-cash-title-sub = Cash · sub-account · amount received (empty = exact)
gui-cash-due-main = Cash · main · due { $due } (rounded) · amount received (empty = exact)
gui-cash-due-sub = Cash · sub-account · due { $due } (rounded) · amount received (empty = exact)
gui-choose-main =
    Main basket
    { $amount }
gui-choose-sub =
    Sub-account
    { $amount }
gui-net-standalone = Standalone till
gui-net-unusable = ⚠ Central database unusable (central.url)
gui-net-online = ● Online
gui-net-online-pending = ● Online · { $pending } waiting
gui-net-offline = ○ Offline · { $pending ->
        [one] { $pending } sale waiting
       *[other] { $pending } sales waiting
    }
gui-net-connecting = … Central: connecting · { $pending } waiting
gui-net-parked = ⚠ { $text } ({ $parked } blocked)
gui-printer-ready = Printer: ready
gui-printer-ok = Printer: OK
gui-printer-failed = ⚠ Printing failed
gui-printer-failed-queue = ⚠ Printing failed ({ $count })
gui-scanner = Scanner: { $message }
gui-clock-warning = The clock is behind the last sale!
gui-closing-at = Closing at { $time }
gui-role-admin = Admin
gui-role-cashier = Cashier
gui-disabled-name = { $name } (disabled)
gui-enable = Enable
gui-disable = Disable
gui-source-central = Source: central database (all tills)
gui-source-local-unreachable = Source: this till only (central database unreachable)
gui-source-local = Source: this till
gui-days-title = Daily reports
gui-days-title-central = Daily reports · all tills
gui-days-title-local = Daily reports · this till
gui-report-title = Report of { $day }
gui-report-balance = TILL BALANCE
gui-report-withdrawals = Cash withdrawals (not in total)
gui-report-rounding = Cash rounding (not in the total)
gui-report-tickets = Tickets: { $count }
gui-report-sales = Sales (before credit notes)
gui-report-refunds = Credit notes: { $count }
gui-report-discounts = Discounts ({ $count ->
    [one] { $count } sale
   *[other] { $count } sales
}, already taken off)
gui-report-seller = Seller
gui-report-seller-detail = { $count ->
        [one] { $count } ticket
       *[other] { $count } tickets
    } · withdrawals { $withdrawals }
gui-report-vat = VAT
gui-report-vat-detail = Excl. VAT { $net } · VAT { $vat }
gui-journal-total = TOTAL

## Messages.
gui-logout-closed = Shop closed: the till is locked. Opening hours: { $hours }
gui-logout-replaced = Someone else logged in.
gui-session-locked = Session locked after 15 min without activity: enter your PIN (the basket is kept).
gui-pay-unavailable = Payment server unreachable: try again or take cash.
gui-error = { $message } ({ $code })
gui-pay-cancelling-note = The payment server does not answer: the basket stays held until it does.
gui-pay-paid-after-cancel-note = The customer paid { $amount } despite the cancel: press PAYMENT ACCEPTED.
gui-pay-cancelled = Payment cancelled.
gui-sale-recorded = ✔ Ticket no. { $ticket }: { $amount }
gui-change-detail = Received { $received } · ticket no. { $ticket }
gui-enter-id = Enter your staff ID.
gui-no-line = No line.
gui-empty-basket = The basket is empty.
gui-payment-busy = A payment is in progress: finish or cancel it first.
gui-pay-connecting = Connecting to the payment server…
gui-enter-amount = Enter an amount.
gui-bad-amount = Invalid amount: digits and one decimal comma, two decimals at most.
gui-pay-not-confirmed = The customer has not confirmed on their phone yet.
gui-close-during-payment = Finish or cancel the payment before closing the till.
gui-no-day = No day to open.
gui-pick-day = Pick a day in the list.
gui-hide-day-question =
    Remove the report of { $day } from the list?
    The sales stay recorded; the removal is logged.
gui-exporting = Exporting…
gui-exported = Exported: { $path }
gui-no-report = No report open.
gui-bad-dates = Dates expected as YYYY-MM-DD or DD/MM/YYYY.
gui-pick-product = Pick a product in the list.
gui-import-path = Give the path of the CSV file (code,barcode,name,price,vat_rate).
gui-importing = Importing…
gui-imported = Import done: { $added } added, { $updated } changed.
gui-pick-person = Pick a person in the list.
gui-pick-person-pin = Pick a person and enter the new PIN.
gui-nothing-changed = Nothing changed.
gui-field-code = Code: { $error }
gui-field-barcode = Barcode: { $error }
gui-field-name = Name: { $error }
gui-field-price = Price: { $error }
gui-field-vat = VAT: pick a rate
gui-field-id = ID: { $error }

## The cash drawer (src/gui/model/drawer.rs): the « Caisse » pane and the counter.
gui-l-tab-drawer = Drawer
gui-l-drawer-float = Open (float)
gui-l-drawer-x = X report
gui-l-drawer-z = Close (Z)
gui-l-drawer-history = Past Zs
gui-l-drawer-reason = Reason
gui-l-drawer-in = Cash in
gui-l-drawer-out = Cash out
gui-l-col-figure = Item
gui-l-col-z = Z
gui-l-col-closed = Closed at
gui-l-col-counted = Counted
gui-l-col-difference = Difference
gui-drawer-open-state = Drawer open: session { $no } (the coming Z)
gui-drawer-closed-state = No drawer open
gui-drawer-already-open = A drawer is already open: close it (Z) first.
gui-drawer-none-open = No drawer is open.
gui-drawer-opened = Drawer { $no } opened, float { $amount }
gui-drawer-opened-uncounted = Drawer { $no } opened with no counted float (€0.00)
gui-drawer-moved-in = Cash in: { $amount } ({ $reason })
gui-drawer-moved-out = Cash out: { $amount } ({ $reason })
gui-drawer-in-title = Cash into the drawer
gui-drawer-out-title = Cash out of the drawer
gui-drawer-difference = Difference: { $amount }
gui-count-float-title = Count the float
gui-count-close-title = Count the drawer for the Z
gui-count-total = Total: { $amount }
gui-count-later = Later
gui-count-empty = Nothing counted: press Confirm again for €0.00.
gui-count-too-many = At most { $max } notes or coins of one value.

## Discounts, a manager's approval, returns (src/gui/model/discount.rs, approval.rs, returns.rs).
gui-l-till-discount = Discount
gui-l-till-return = Return
gui-l-discount-remove = Remove discount
gui-l-approve-id = Manager's ID
gui-l-approve-pin = Manager's PIN
gui-l-return-title = RETURN
gui-l-return-find = Find
gui-l-return-next = Refund…
gui-l-return-all = All
gui-l-refund-back = ← Lines
gui-l-refund-ok = Refund
gui-l-alarm-title = ⚠ QR REFUND FAILED
gui-l-alarm-ok = Understood: I give it back in cash
gui-l-col-sold = Sold
gui-l-col-returned = Ret'd
gui-l-col-left = Left
gui-l-col-return = Return
gui-discount-title-line = Discount · line { $line }: { $name } ({ $amount })
gui-discount-title-basket = Discount on the basket ({ $amount })
gui-discount-on-line = Line { $line }
gui-discount-on-line-none = Line
gui-discount-on-basket = Basket
gui-discount-kind-price =
    New
    price
gui-discount-new-price = new price { $price }
gui-discount-reason-optional = Reason: optional (asked above the allowed discount)
gui-discount-reason-needed = A manager must approve this discount: pick a reason.
gui-discount-reason-asked = This discount needs a manager's approval: pick a reason, then Confirm.
gui-discount-enter-value = Type a percentage, an amount or a price.
gui-discount-price-line-only = A new price is for a line, not for the basket.
gui-discount-applied = ✔ Discount applied
gui-discount-approved = ✔ Discount approved by { $name }
gui-discount-note-amount = Discount { $off }
gui-discount-note-price = Price { $price } · { $off }
gui-discount-note-basket = Basket discount { $off }
gui-discount-total = Discounts: { $off }
gui-discount-total-basket = Discounts: { $off } (basket { $rule })
gui-reason-shown = Reason: { $reason }
gui-bad-reason = Reason: at most { $chars } characters, no control characters.
gui-reason-damaged = Damaged item
gui-reason-loyal = Loyal customer
gui-reason-price-error = Price error
gui-reason-goodwill = Goodwill gesture
gui-approval-title-discount = A manager's approval: discount
gui-approval-title-price = A manager's approval: new price
gui-approval-title-refund = A manager's approval: refund
gui-approval-asked-line = { $value } · line { $line } ({ $name })
gui-approval-asked-basket = { $value } · basket
gui-approval-asked-refund = Return of ticket no. { $ticket }: { $amount } { $method } · reason: { $reason }
gui-approval-enter-id = Type the manager's ID.
gui-approval-enter-pin = Type the manager's PIN.
gui-approval-cancelled = Approval cancelled: nothing was done.
gui-approved-by = ✔ Approved by { $name }
gui-method-cash = in cash
gui-method-qr = by QR
gui-return-hint = Scan the ticket's QR code or type its number (or till/number), then Find.
gui-return-info = Ticket no. { $ticket } · { $till } · { $at } · paid { $method }
gui-return-bad-ticket = "{ $value }" is not a ticket: its number, till/number, or its QR code.
gui-return-pick-line = Pick a line of the ticket.
gui-return-qty = Line { $line } · { $left } left
gui-return-amount = To give back: { $amount }
gui-return-nothing-picked = Nothing picked: a line, its quantity, then OK (or All).
gui-refund-title = Ticket no. { $ticket }, paid { $method } on { $at }
gui-refund-due-rounded = To give back: { $amount } · in cash { $cash } (rounded)
gui-refund-cash = Cash
gui-refund-as-paid =
    As paid
    ({ $method })
gui-refund-reason-needed = A reason is required: pick one or type it (⌨).
gui-refund-reason-defective = Defective item
gui-refund-reason-unsuited = Not suitable
gui-refund-reason-till-error = Till error
gui-refund-recorded = ✔ Credit note no. { $ticket }: { $amount } given back
gui-refunded-title-cash = GIVE BACK TO THE CUSTOMER
gui-refunded-title-qr = REFUNDED THROUGH THE APP
gui-refunded-detail = Credit note no. { $ticket } · ticket no. { $original }
gui-refunded-rounding = rounding { $amount }
gui-refund-status-pending = refund in progress
gui-refund-status-succeeded = refund confirmed
gui-refund-status-failed = refund failed
gui-refund-succeeded = ✔ QR refund of credit note no. { $ticket } confirmed
gui-alarm-text = The app refund of credit note no. { $ticket } failed ({ $reason }): the money did NOT go back to the customer. Give them { $amount } in cash.
gui-alarm-text-no-amount = The app refund of credit note no. { $ticket } failed ({ $reason }): the money did NOT go back to the customer. Give them the amount in cash.
gui-return-line-note = { $sold } × { $unit } · paid { $paid }
gui-refund-unconfirmed-wait = The payment server has not confirmed this refund yet: the till keeps asking, the credit note shows as soon as it answers.
