# Reports, the CLI's report text and kaching doctor. Ids start with report- , cli- or doctor-.
# The ids and arguments are the same as in fr/ and nl/ (src/i18n.rs checks it).

## Reports (the day report, the list of days, the daily takings journal)
report-tickets = { $count ->
    [one] { $count } ticket
   *[other] { $count } tickets
}
report-day-title = { $shop } — DAY REPORT FOR { $day }
report-col-no = No.
report-col-time = TIME
report-col-seller = SELLER
report-col-product = PRODUCT
report-col-qty = QTY
report-col-amount = AMOUNT
report-withdrawal-mark = [withdrawal]
report-no-sales = (no sales on this day)
report-balance = TILL BALANCE: { $amount }
report-withdrawals = Cash withdrawals (not in the total): { $amount }
report-rounding = Cash rounding (not in the total): { $amount }
report-ticket-count = Tickets: { $count }
report-by-seller = By seller
report-seller-withdrawals = withdrawals
report-by-vat = By VAT rate
report-col-gross = Incl. VAT
report-col-net = Excl. VAT
report-col-vat = VAT
report-page = Page { $page }/{ $pages }
report-col-day = DAY
report-col-tickets = TICKETS
report-col-revenue = TAKINGS
report-col-withdrawals = WITHDRAWALS
report-journal-title = { $shop } — DAILY TAKINGS JOURNAL from { $from } to { $to }
report-col-vat-rate = VAT { $rate } %
report-col-rounding = ROUNDING
report-total = TOTAL
report-refund-mark = [credit note]
report-sales = Sales: { $amount }
report-refunds = Credit notes ({ $count }): { $amount }
report-discounts = Discounts (already taken off, { $count ->
    [one] { $count } sale
   *[other] { $count } sales
}): { $amount }
report-seller-refunds = credit notes
report-seller-discounts = discounts
report-col-sales = SALES
report-col-refunds = REFUNDED
report-col-discounts = DISCOUNTS
report-col-credit-notes = CR. NOTES
report-day-hidden = report of { $day } hidden (its sales stay recorded)
report-chain-problem = { $till } ticket { $ticket }: { $problem }
report-chain-gap = ticket numbers jump from { $from } to { $to }: a sale is missing
report-chain-unreadable = unreadable: { $error }
report-chain-broken-link = does not follow the previous ticket's hash
report-chain-altered = content does not match its hash: the sale was altered
report-chain-head = the chain head says ticket { $head } but the ledger ends at { $last }: sales were removed or the head was altered
report-chain-no-head = no chain head for this till
report-chain-z-missing = Z report { $no } is missing
report-chain-z-altered = Z report { $no } does not match its seal: it was altered

## The command line
cli-report-written = report written to { $path }
cli-day-hidden = { $day } hidden from the list of days (its sales stay in the ledger)
cli-reconcile-title = RECONCILIATION OF { $day } — till { $till }
cli-reconcile-till = TILL
cli-reconcile-central = CENTRAL
cli-reconcile-central-revenue = CENTRAL TAKINGS
cli-reconcile-waiting = WAITING
cli-reconcile-refunds = CR. NOTES
cli-reconcile-central-refunds = CENTRAL CR. NOTES
cli-reconcile-all-paid = PAYMENTS: every payment has its sale
cli-reconcile-to-check = PAYMENTS TO CHECK ({ $count })
cli-reconcile-payment = PAYMENT
cli-reconcile-ticket = TICKET
cli-reconcile-problem = PROBLEM
cli-reconcile-paid-no-sale = paid, no sale (accept it on the till)
cli-reconcile-parked = ⚠ { $parked } of the { $pending } waiting outbox row(s) of { $till } are parked (in conflict with the central database): see the audit log, mend the central rows, then `kaching sync retry-parked`
cli-staff-added = added { $id } { $name } ({ $role })
cli-staff-added-central = added { $id } { $name } ({ $role }) in the central database
cli-staff-active = active
cli-staff-disabled = disabled
cli-staff-enabled-now = { $id } enabled
cli-staff-disabled-now = { $id } disabled
cli-staff-unlocked = { $id } unlocked
cli-staff-not-locked = { $id } was not locked
cli-role-cashier = cashier
cli-role-admin = admin
cli-migrated-ledger = ledger migrated: { $path }
cli-migrated-central = central database migrated ({ $count ->
    [one] { $count } migration applied
   *[other] { $count } migrations applied
})
cli-imported-central = { $count ->
    [one] { $count } product imported into the central database (the tills pull it at their next sync)
   *[other] { $count } products imported into the central database (the tills pull them at their next sync)
}
cli-imported = { $count ->
    [one] { $count } product imported ({ $added } added, { $updated } updated)
   *[other] { $count } products imported ({ $added } added, { $updated } updated)
}
cli-retry-nothing = no parked outbox row: nothing to put back
cli-retry-done = { $count ->
    [one] { $count } parked outbox row put back in the queue (audited): the till pushes it at its next sync
   *[other] { $count } parked outbox rows put back in the queue (audited): the till pushes them at its next sync
}
cli-verify-ok = OK: { $sales ->
    [one] { $sales } sale
   *[other] { $sales } sales
} on { $tills ->
    [one] { $tills } till
   *[other] { $tills } tills
}, hash chains intact, no gap in ticket numbers
cli-verify-fail = FAIL { $problem }
cli-verify-summary = { $problems ->
    [one] { $problems } problem
   *[other] { $problems } problems
} in { $sales ->
    [one] { $sales } sale
   *[other] { $sales } sales
}
cli-reprint-queued = duplicate of sale { $sale } queued; the till prints it within 10 s

## kaching doctor
doctor-label-settings = settings
doctor-label-data-dir = data dir
doctor-label-ledger = ledger
doctor-label-pin-pepper = PIN pepper
doctor-label-central = central db
doctor-label-provider = provider
doctor-label-payment = payment
doctor-label-printer = printer
doctor-label-scanner = scanner
doctor-label-time-zone = time zone
doctor-label-clock = clock
doctor-label-disk = free disk
doctor-header-till = KACHING doctor — till { $till }, data dir { $dir }
doctor-header = KACHING doctor — data dir { $dir }
doctor-fix = fix:
doctor-summary = { $failing ->
    [0] All required checks pass.
    [one] { $failing } required check fails: apply its fix, then run `kaching doctor` again.
   *[other] { $failing } required checks fail: apply their fixes, then run `kaching doctor` again.
}
doctor-settings-ok = { $file ->
    [none] defaults (no --config file)
   *[other] defaults + { $file }
} + { $vars } KACHING_* variable(s): valid
doctor-settings-fix-key = correct { $key } in the config file, or the variable { $env } that sets it
doctor-settings-fix-missing = check the --config path (the package's is /etc/kaching/kaching.toml)
doctor-settings-fix-load = correct the config file (TOML) or the KACHING_* variable the message names
doctor-data-dir-ok = { $dir }: exists and is writable
doctor-data-dir-missing = { $dir } does not exist
doctor-data-dir-missing-fix = point --data-dir / KACHING_DATA_DIR at the till's data dir, or create this one: `kaching migrate --data-dir { $dir }`
doctor-data-dir-not-dir = { $dir } is not a directory
doctor-data-dir-not-dir-fix = point --data-dir / KACHING_DATA_DIR at a directory
doctor-not-writable = { $dir }: cannot write: { $error }
doctor-not-writable-fix = give the till's user the directory (the package's user: `chown -R kaching: { $dir }`), or remount its filesystem read-write
doctor-not-checked-data-dir = not checked: the data dir is unusable
doctor-ledger-missing = no ledger at { $file }
doctor-ledger-missing-fix = a wrong data dir? Point --data-dir / KACHING_DATA_DIR at the till's; for a new till run `kaching migrate`
doctor-ledger-open-failed = { $file } does not open: { $error }
doctor-ledger-open-fix = check the file's owner and permissions; if it is damaged, restore the data dir from its last backup
doctor-ledger-ok = { $sales } sale(s) in { $tills } chain(s): every chain verifies
doctor-ledger-broken = { $problems } problem(s) in { $sales } sale(s), first: { $first }
doctor-ledger-broken-fix = `kaching verify` lists them; keep a copy of the data dir as it is and restore the last good backup
doctor-pepper-explicit = set explicitly (KACHING_PIN_PEPPER or pin_pepper)
doctor-pepper-in-file = kept in { $file } (this till's own)
doctor-pepper-only-in-file-central = central.url is set but the pepper is only in { $file }: the tills sharing staff through the central database need the same explicit one
doctor-pepper-only-in-file-fix = set KACHING_PIN_PEPPER to the content of { $file } on every till sharing this central database
doctor-pepper-none-central = central.url is set but no PIN pepper is: PIN hashes pulled from the central database would verify on no till
doctor-pepper-none-central-fix = set the same KACHING_PIN_PEPPER (or pin_pepper) on every till sharing this central database
doctor-pepper-lost = no pepper and no { $file }, yet the ledger holds { $staff } staff member(s) whose PINs were hashed with one: no PIN will verify
doctor-pepper-lost-fix = restore the pin_pepper file from the data dir's backup, or set KACHING_PIN_PEPPER back to the value the PINs were set with
doctor-pepper-none-yet = none yet: the till creates { $file } at its first start
doctor-central-none = no central database configured: the till works alone
doctor-central-bad-url = central.url is not a MySQL URL: { $error }
doctor-central-fix-url = set central.url (KACHING_CENTRAL__URL) to mysql://user:password@host:3306/database (one host); until then the till shows « Base centrale inutilisable » and its sales wait in its ledger
doctor-central-timeout = { $target }: no answer within { $secs } s
doctor-central-unreachable = { $target }: { $error }
doctor-central-fix-reach = check that the database server runs and that this till reaches it (host, port, firewall), or correct central.url (KACHING_CENTRAL__URL)
doctor-central-fix-access = correct the user and password in central.url (KACHING_CENTRAL__URL), or grant that user access to the database
doctor-central-fix-no-database = create the database on the server (CREATE DATABASE `{ $db }`), then run `kaching migrate --central`
doctor-central-not-migrated = { $target } answers in { $ms } ms but holds no KACHING schema
doctor-central-behind = { $target } answers in { $ms } ms, schema V{ $version } (this program needs V{ $latest })
doctor-central-fix-migrate = run `kaching migrate --central`
doctor-central-ok = { $target } answers in { $ms } ms, schema V{ $version } (up to date)
doctor-central-ahead = { $target } answers in { $ms } ms, schema V{ $version } is newer than this program's V{ $latest }: upgrade kaching on this till
doctor-payment-lan-only = no hosted payment server: QR payments use the till's own, on { $bind }
doctor-payment-cash-only = no payment server configured (payment.server_url, payment.lan_bind): cash only
doctor-payment-no-secret = payment.server_url is set but not this till's secret
doctor-payment-fix-secret = the till secret is wrong: run `kaching pay-server till add { $till }` on the server and set KACHING_PAYMENT__TILL_SECRET
doctor-payment-unreachable = { $url }: { $error }
doctor-payment-fix-reach = check payment.server_url (KACHING_PAYMENT__SERVER_URL), the network, and that the pay-server runs (`systemctl status kaching-pay-server` on the server)
doctor-payment-database-down = { $url } answers, but its payment database does not
doctor-payment-fix-database = on the server: check pay_server.database and that its database runs
doctor-payment-not-kaching = { $url }/healthz answers { $status }: not a KACHING payment server?
doctor-payment-refused = { $url } refuses { $till }'s signature: { $message }
doctor-payment-clock-refused = { $url } refuses the request's time: { $message }
doctor-payment-fix-clock = set this machine's clock (NTP: `timedatectl set-ntp true`), then run the doctor again
doctor-payment-unexpected = { $url }: unexpected answer to a signed request: { $error }
doctor-payment-timeout = { $url }: no answer to a signed request within { $secs } s
doctor-payment-ok = { $url } answers in { $ms } ms and accepts { $till }'s signature
doctor-printer-tcp-ok = tcp { $addr }: connects in { $ms } ms
doctor-printer-tcp-failed = tcp { $addr }: { $error }
doctor-printer-tcp-fix = switch the printer on, check its cable and IP address (its self-test page shows it), or correct printer.target
doctor-printer-device-ok = device { $path }: present and writable
doctor-printer-device-missing = device { $path }: no such device
doctor-printer-device-missing-fix = plug in and switch on the printer (`ls /dev/usb/` lists USB printers), or correct printer.target
doctor-printer-device-failed = device { $path }: cannot open for writing: { $error }
doctor-printer-device-access-fix = let the till's user write to it: `adduser kaching lp` (then log in again)
doctor-printer-cups-ok = cups: { $status }
doctor-printer-cups-missing = cups queue { $queue }: { $error }
doctor-printer-cups-missing-fix = create the queue (`lpadmin -p QUEUE -E -v URI -m raw`), or set printer.target to one `lpstat -p` lists
doctor-printer-cups-disabled = cups: { $status }
doctor-printer-cups-disabled-fix = enable the queue: `cupsenable { $queue }`
doctor-printer-cups-no-default = cups: no default destination ({ $error })
doctor-printer-cups-no-default-fix = set printer.target to a queue (`lpstat -p` lists them), or pick a default: `lpoptions -d QUEUE`
doctor-printer-cups-no-lpstat = cups: lpstat does not run: { $error }
doctor-printer-cups-no-lpstat-fix = install the CUPS client and server: `apt install cups-client cups`
doctor-printer-file-ok = file (preview): tickets written to { $dir }
doctor-printer-file-later = file (preview): tickets go to { $dir } (created at the first ticket)
doctor-printer-file-fix = give the till's user that directory, or set printer.target to a writable one
doctor-scanner-none = no scanner configured: a scanner in keyboard mode types into the article field
doctor-scanner-ok = { $path } ({ $name }): present and readable
doctor-scanner-missing = { $path }: no such device
doctor-scanner-missing-fix = plug in the scanner, and set scanner.device to one of `ls /dev/input/by-id/` (the one ending in -event-kbd)
doctor-scanner-failed = { $path }: cannot read it as an input device: { $error }
doctor-scanner-access-fix = let the till's user read input devices: `adduser kaching input` (then log in again)
doctor-scanner-no-name = no readable input device named like '{ $needle }'
doctor-scanner-no-name-fix = plug in the scanner, or set scanner.device to its /dev/input/by-id/ path; the till's user must be in the group input
doctor-scanner-found-name = '{ $needle }' → { $path } ({ $name })
doctor-time-zone = { $name }, now UTC{ $offset }
doctor-clock-before-last-sale = the clock says { $now }, before the last sale ({ $last }): a machine without RTC?
doctor-clock-fix-time = set the time (connect the network for NTP, or `date -s`) before selling
doctor-clock-ntp-not-synced = { $now }, but NTP is not synchronised
doctor-clock-fix-ntp = connect the network and turn NTP on: `timedatectl set-ntp true`
doctor-clock-ok = { $now }, { $last ->
    [none] no sale yet
    [unknown] last sale unknown (the ledger did not open)
   *[at] after the last sale ({ $at })
}; { $ntp ->
    [synced] NTP synchronised
   *[unknown] NTP state unknown ({ $why })
}
doctor-disk-ok = { $free } free of { $total } on { $dir }
doctor-disk-low = only { $free } free on { $dir } (less than { $min })
doctor-disk-fix = free some space (old logs: `journalctl --vacuum-size=100M`, old exports), or move the data dir to a larger disk
doctor-disk-unknown = cannot read the free space of { $dir }: { $error }
doctor-disk-unknown-fix = check that the data dir's filesystem is mounted
doctor-provider-manual = pay_server.provider = "manual": nothing proves a QR payment (the customer page's button is for the demo and tests); set pay_server.provider = "payconiq" on the payment server
doctor-provider-payconiq = Payconiq by Bancontact, payment profile { $profile }, callbacks at { $callback }

## The drawer's X and Z reports (src/domain/drawer.rs).
drawer-z-title = Z REPORT no. { $no } — { $shop }
drawer-x-title = X REPORT (session { $no } open) — { $shop }
drawer-r-till = Till
drawer-r-from = Opened
drawer-r-until = Until
drawer-r-cashiers = Cashiers
drawer-r-tickets = Tickets
drawer-r-voids = Voided lines
drawer-r-revenue = Revenue
drawer-r-vat = VAT { $rate } % (gross / VAT)
drawer-r-cash = Cash
drawer-r-qr = QR
drawer-r-rounding = Rounding
drawer-r-float = Float
drawer-r-not-counted = not counted
drawer-r-in = Cash in
drawer-r-out = Cash out
drawer-r-withdrawals = Withdrawals
drawer-r-expected = Expected cash
drawer-r-counted = Counted cash
drawer-r-difference = Difference
drawer-r-refunds = Credit notes
drawer-r-refunds-total = Refunds
drawer-r-refunds-cash = Refunded in cash
drawer-r-refunds-qr = Refunded by QR
drawer-r-discounts = Sales with a discount
drawer-r-discounts-total = Discounts
cli-no-z = no Z report no. { $no } on { $till }
cli-no-z-yet = no Z report on { $till } yet
