# Reports, the CLI's report text and kaching doctor. Ids start with report- , cli- or doctor-.
# De ids en argumenten zijn dezelfde als in fr/ en en/ (src/i18n.rs controleert het).

## Rapporten (het dagrapport, de lijst van de dagen, het dagboek van ontvangsten)
report-tickets = { $count ->
    [one] { $count } kasticket
   *[other] { $count } kastickets
}
report-day-title = { $shop } — DAGRAPPORT VAN { $day }
report-col-no = Nr.
report-col-time = UUR
report-col-seller = VERKOPER
report-col-product = PRODUCT
report-col-qty = AANT.
report-col-amount = BEDRAG
report-withdrawal-mark = [geldopname]
report-no-sales = (geen verkoop op deze dag)
report-balance = KASSALDO: { $amount }
report-withdrawals = Geldopnames (buiten het totaal): { $amount }
report-rounding = Afronding contant (buiten het totaal): { $amount }
report-ticket-count = Kastickets: { $count }
report-by-seller = Per verkoper
report-seller-withdrawals = opnames
report-by-vat = Per btw-tarief
report-col-gross = Incl. btw
report-col-net = Excl. btw
report-col-vat = Btw
report-page = Pagina { $page }/{ $pages }
report-col-day = DAG
report-col-tickets = KASTICKETS
report-col-revenue = ONTVANGSTEN
report-col-withdrawals = OPNAMES
report-journal-title = { $shop } — DAGBOEK VAN ONTVANGSTEN van { $from } tot { $to }
report-col-vat-rate = BTW { $rate } %
report-col-rounding = AFRONDING
report-total = TOTAAL
report-refund-mark = [creditnota]
report-sales = Verkopen: { $amount }
report-refunds = Creditnota's ({ $count }): { $amount }
report-discounts = Kortingen (al afgetrokken, { $count ->
    [one] { $count } verkoop
   *[other] { $count } verkopen
}): { $amount }
report-seller-refunds = creditnota's
report-seller-discounts = kortingen
report-col-sales = VERKOPEN
report-col-refunds = TERUGBETAALD
report-col-discounts = KORTINGEN
report-col-credit-notes = CREDITN.
report-day-hidden = rapport van { $day } verborgen (de verkopen blijven geregistreerd)
report-chain-problem = { $till } kasticket { $ticket }: { $problem }
report-chain-gap = de ticketnummers springen van { $from } naar { $to }: er ontbreekt een verkoop
report-chain-unreadable = onleesbaar: { $error }
report-chain-broken-link = volgt niet op de hash van het vorige kasticket
report-chain-altered = de inhoud klopt niet met de hash: de verkoop werd gewijzigd
report-chain-head = de kop van de keten zegt kasticket { $head } maar het register eindigt bij kasticket { $last }: er werden verkopen verwijderd of de kop werd gewijzigd
report-chain-no-head = geen kop van de keten voor deze kassa
report-chain-z-missing = Z-rapport { $no } ontbreekt
report-chain-z-altered = Z-rapport { $no } klopt niet met zijn zegel: het werd gewijzigd

## De opdrachtregel
cli-report-written = rapport geschreven naar { $path }
cli-day-hidden = { $day } verborgen in de lijst van de dagen (de verkopen blijven in het register)
cli-reconcile-title = AFSTEMMING VAN { $day } — kassa { $till }
cli-reconcile-till = KASSA
cli-reconcile-central = CENTRAAL
cli-reconcile-central-revenue = ONTV. CENTRAAL
cli-reconcile-waiting = WACHTEND
cli-reconcile-refunds = CREDITN.
cli-reconcile-central-refunds = CREDITN. CENTR.
cli-reconcile-all-paid = BETALINGEN: bij elke betaling hoort een verkoop
cli-reconcile-to-check = TE CONTROLEREN BETALINGEN ({ $count })
cli-reconcile-payment = BETALING
cli-reconcile-ticket = KASTICKET
cli-reconcile-problem = PROBLEEM
cli-reconcile-paid-no-sale = betaald, geen verkoop (aanvaard ze op de kassa)
cli-reconcile-parked = ⚠ { $parked } van de { $pending } wachtende rijen van { $till } staan opzij (in conflict met de centrale databank): zie het auditlogboek, herstel de centrale rijen en voer dan `kaching sync retry-parked` uit
cli-staff-added = toegevoegd: { $id } { $name } ({ $role })
cli-staff-added-central = toegevoegd in de centrale databank: { $id } { $name } ({ $role })
cli-staff-active = actief
cli-staff-disabled = uitgeschakeld
cli-staff-enabled-now = { $id } ingeschakeld
cli-staff-disabled-now = { $id } uitgeschakeld
cli-staff-unlocked = { $id } gedeblokkeerd
cli-staff-not-locked = { $id } was niet geblokkeerd
cli-role-cashier = kassier
cli-role-admin = beheerder
cli-migrated-ledger = register gemigreerd: { $path }
cli-migrated-central = centrale databank gemigreerd ({ $count ->
    [one] { $count } migratie uitgevoerd
   *[other] { $count } migraties uitgevoerd
})
cli-imported-central = { $count ->
    [one] { $count } artikel geïmporteerd in de centrale databank (de kassa's halen het op bij hun volgende synchronisatie)
   *[other] { $count } artikelen geïmporteerd in de centrale databank (de kassa's halen ze op bij hun volgende synchronisatie)
}
cli-imported = { $count ->
    [one] { $count } artikel geïmporteerd ({ $added } toegevoegd, { $updated } bijgewerkt)
   *[other] { $count } artikelen geïmporteerd ({ $added } toegevoegd, { $updated } bijgewerkt)
}
cli-retry-nothing = geen rij opzij gezet: niets terug te zetten
cli-retry-done = { $count ->
    [one] { $count } opzijgezette rij terug in de wachtrij (geaudit): de kassa verstuurt ze bij haar volgende synchronisatie
   *[other] { $count } opzijgezette rijen terug in de wachtrij (geaudit): de kassa verstuurt ze bij haar volgende synchronisatie
}
cli-verify-ok = OK: { $sales ->
    [one] { $sales } verkoop
   *[other] { $sales } verkopen
} op { $tills ->
    [one] { $tills } kassa
   *[other] { $tills } kassa's
}, hashketens intact, geen gat in de ticketnummers
cli-verify-fail = FOUT { $problem }
cli-verify-summary = { $problems ->
    [one] { $problems } probleem
   *[other] { $problems } problemen
} in { $sales ->
    [one] { $sales } verkoop
   *[other] { $sales } verkopen
}
cli-reprint-queued = duplicaat van verkoop { $sale } in de wachtrij; de kassa drukt het binnen 10 s af

## kaching doctor
doctor-label-settings = instellingen
doctor-label-data-dir = datamap
doctor-label-ledger = register
doctor-label-pin-pepper = PIN-peper
doctor-label-central = centrale db
doctor-label-provider = aanbieder
doctor-label-payment = betaling
doctor-label-printer = printer
doctor-label-scanner = scanner
doctor-label-time-zone = tijdzone
doctor-label-clock = klok
doctor-label-disk = vrije schijf
doctor-header-till = KACHING doctor — kassa { $till }, datamap { $dir }
doctor-header = KACHING doctor — datamap { $dir }
doctor-fix = oplossing:
doctor-summary = { $failing ->
    [0] Alle vereiste controles slagen.
    [one] { $failing } vereiste controle faalt: pas de oplossing toe en voer `kaching doctor` opnieuw uit.
   *[other] { $failing } vereiste controles falen: pas de oplossingen toe en voer `kaching doctor` opnieuw uit.
}
doctor-settings-ok = { $file ->
    [none] standaardwaarden (geen --config-bestand)
   *[other] standaardwaarden + { $file }
} + { $vars } KACHING_*-variabele(n): geldig
doctor-settings-fix-key = verbeter { $key } in het configuratiebestand, of de variabele { $env } die het instelt
doctor-settings-fix-missing = controleer het pad van --config (dat van het pakket is /etc/kaching/kaching.toml)
doctor-settings-fix-load = verbeter het configuratiebestand (TOML) of de KACHING_*-variabele die de melding noemt
doctor-data-dir-ok = { $dir }: bestaat en is beschrijfbaar
doctor-data-dir-missing = { $dir } bestaat niet
doctor-data-dir-missing-fix = laat --data-dir / KACHING_DATA_DIR naar de datamap van de kassa wijzen, of maak deze aan: `kaching migrate --data-dir { $dir }`
doctor-data-dir-not-dir = { $dir } is geen map
doctor-data-dir-not-dir-fix = laat --data-dir / KACHING_DATA_DIR naar een map wijzen
doctor-not-writable = { $dir }: schrijven onmogelijk: { $error }
doctor-not-writable-fix = geef de gebruiker van de kassa de map (de gebruiker van het pakket: `chown -R kaching: { $dir }`), of koppel het bestandssysteem opnieuw aan met schrijfrechten
doctor-not-checked-data-dir = niet gecontroleerd: de datamap is onbruikbaar
doctor-ledger-missing = geen register in { $file }
doctor-ledger-missing-fix = een verkeerde datamap? Laat --data-dir / KACHING_DATA_DIR naar die van de kassa wijzen; voer voor een nieuwe kassa `kaching migrate` uit
doctor-ledger-open-failed = { $file } gaat niet open: { $error }
doctor-ledger-open-fix = controleer de eigenaar en de rechten van het bestand; is het beschadigd, zet dan de datamap terug uit de laatste back-up
doctor-ledger-ok = { $sales ->
    [one] { $sales } verkoop
   *[other] { $sales } verkopen
} in { $tills ->
    [one] { $tills } keten
   *[other] { $tills } ketens
}: elke keten klopt
doctor-ledger-broken = { $problems ->
    [one] { $problems } probleem
   *[other] { $problems } problemen
} in { $sales ->
    [one] { $sales } verkoop
   *[other] { $sales } verkopen
}, het eerste: { $first }
doctor-ledger-broken-fix = `kaching verify` somt ze op; bewaar een kopie van de datamap zoals ze is en zet de laatste goede back-up terug
doctor-pepper-explicit = uitdrukkelijk ingesteld (KACHING_PIN_PEPPER of pin_pepper)
doctor-pepper-in-file = bewaard in { $file } (eigen aan deze kassa)
doctor-pepper-only-in-file-central = central.url is ingesteld maar de peper staat alleen in { $file }: de kassa's die personeel delen via de centrale databank hebben dezelfde, uitdrukkelijke peper nodig
doctor-pepper-only-in-file-fix = stel KACHING_PIN_PEPPER in op de inhoud van { $file } op elke kassa die deze centrale databank deelt
doctor-pepper-none-central = central.url is ingesteld maar er is geen PIN-peper: de PIN-hashes uit de centrale databank zouden op geen enkele kassa kloppen
doctor-pepper-none-central-fix = stel dezelfde KACHING_PIN_PEPPER (of pin_pepper) in op elke kassa die deze centrale databank deelt
doctor-pepper-lost = geen peper en geen { $file }, terwijl het register { $staff ->
    [one] { $staff } personeelslid bevat van wie de PIN
   *[other] { $staff } personeelsleden bevat van wie de PIN's
} met een peper gehasht werd: geen enkele PIN zal kloppen
doctor-pepper-lost-fix = zet het bestand pin_pepper terug uit de back-up van de datamap, of zet KACHING_PIN_PEPPER terug op de waarde waarmee de PIN's ingesteld werden
doctor-pepper-none-yet = nog geen: de kassa maakt { $file } aan bij haar eerste start
doctor-central-none = geen centrale databank ingesteld: de kassa werkt alleen
doctor-central-bad-url = central.url is geen MySQL-URL: { $error }
doctor-central-fix-url = stel central.url (KACHING_CENTRAL__URL) in op mysql://gebruiker:wachtwoord@host:3306/databank (één host); tot dan toont de kassa « Base centrale inutilisable » en wachten haar verkopen in haar register
doctor-central-timeout = { $target }: geen antwoord binnen { $secs } s
doctor-central-unreachable = { $target }: { $error }
doctor-central-fix-reach = controleer of de databankserver draait en of deze kassa hem bereikt (host, poort, firewall), of verbeter central.url (KACHING_CENTRAL__URL)
doctor-central-fix-access = verbeter de gebruiker en het wachtwoord in central.url (KACHING_CENTRAL__URL), of geef die gebruiker toegang tot de databank
doctor-central-fix-no-database = maak de databank aan op de server (CREATE DATABASE `{ $db }`) en voer dan `kaching migrate --central` uit
doctor-central-not-migrated = { $target } antwoordt in { $ms } ms maar bevat geen KACHING-schema
doctor-central-behind = { $target } antwoordt in { $ms } ms, schema V{ $version } (dit programma heeft V{ $latest } nodig)
doctor-central-fix-migrate = voer `kaching migrate --central` uit
doctor-central-ok = { $target } antwoordt in { $ms } ms, schema V{ $version } (bijgewerkt)
doctor-central-ahead = { $target } antwoordt in { $ms } ms, schema V{ $version } is nieuwer dan V{ $latest } van dit programma: werk kaching bij op deze kassa
doctor-payment-lan-only = geen gehoste betaalserver: QR-betalingen gaan via die van de kassa zelf, op { $bind }
doctor-payment-cash-only = geen betaalserver ingesteld (payment.server_url, payment.lan_bind): alleen contant
doctor-payment-no-secret = payment.server_url is ingesteld, maar het geheim van deze kassa niet
doctor-payment-fix-secret = het geheim van de kassa is fout: voer `kaching pay-server till add { $till }` uit op de server en stel KACHING_PAYMENT__TILL_SECRET in
doctor-payment-unreachable = { $url }: { $error }
doctor-payment-fix-reach = controleer payment.server_url (KACHING_PAYMENT__SERVER_URL), het netwerk, en of de pay-server draait (`systemctl status kaching-pay-server` op de server)
doctor-payment-database-down = { $url } antwoordt, maar zijn betalingsdatabank niet
doctor-payment-fix-database = op de server: controleer pay_server.database en of die databank draait
doctor-payment-not-kaching = { $url }/healthz antwoordt { $status }: geen KACHING-betaalserver?
doctor-payment-refused = { $url } weigert de handtekening van { $till }: { $message }
doctor-payment-clock-refused = { $url } weigert het tijdstip van de aanvraag: { $message }
doctor-payment-fix-clock = zet de klok van deze machine juist (NTP: `timedatectl set-ntp true`) en voer de doctor dan opnieuw uit
doctor-payment-unexpected = { $url }: onverwacht antwoord op een ondertekende aanvraag: { $error }
doctor-payment-timeout = { $url }: geen antwoord op een ondertekende aanvraag binnen { $secs } s
doctor-payment-ok = { $url } antwoordt in { $ms } ms en aanvaardt de handtekening van { $till }
doctor-printer-tcp-ok = tcp { $addr }: verbinding in { $ms } ms
doctor-printer-tcp-failed = tcp { $addr }: { $error }
doctor-printer-tcp-fix = zet de printer aan, controleer de kabel en het IP-adres (de testpagina van de printer toont het), of verbeter printer.target
doctor-printer-device-ok = apparaat { $path }: aanwezig en beschrijfbaar
doctor-printer-device-missing = apparaat { $path }: bestaat niet
doctor-printer-device-missing-fix = sluit de printer aan en zet hem aan (`ls /dev/usb/` toont de USB-printers), of verbeter printer.target
doctor-printer-device-failed = apparaat { $path }: kan niet geopend worden om te schrijven: { $error }
doctor-printer-device-access-fix = laat de gebruiker van de kassa ernaar schrijven: `adduser kaching lp` (en meld u dan opnieuw aan)
doctor-printer-cups-ok = cups: { $status }
doctor-printer-cups-missing = cups-wachtrij { $queue }: { $error }
doctor-printer-cups-missing-fix = maak de wachtrij aan (`lpadmin -p WACHTRIJ -E -v URI -m raw`), of stel printer.target in op een wachtrij die `lpstat -p` toont
doctor-printer-cups-disabled = cups: { $status }
doctor-printer-cups-disabled-fix = schakel de wachtrij in: `cupsenable { $queue }`
doctor-printer-cups-no-default = cups: geen standaardbestemming ({ $error })
doctor-printer-cups-no-default-fix = stel printer.target in op een wachtrij (`lpstat -p` toont ze), of kies een standaard: `lpoptions -d WACHTRIJ`
doctor-printer-cups-no-lpstat = cups: lpstat werkt niet: { $error }
doctor-printer-cups-no-lpstat-fix = installeer de CUPS-client en -server: `apt install cups-client cups`
doctor-printer-file-ok = bestand (voorbeeld): kastickets geschreven naar { $dir }
doctor-printer-file-later = bestand (voorbeeld): kastickets gaan naar { $dir } (aangemaakt bij het eerste kasticket)
doctor-printer-file-fix = geef de gebruiker van de kassa die map, of stel printer.target in op een beschrijfbare map
doctor-scanner-none = geen scanner ingesteld: een scanner in toetsenbordmodus typt in het artikelveld
doctor-scanner-ok = { $path } ({ $name }): aanwezig en leesbaar
doctor-scanner-missing = { $path }: bestaat niet
doctor-scanner-missing-fix = sluit de scanner aan en stel scanner.device in op een van `ls /dev/input/by-id/` (die op -event-kbd eindigt)
doctor-scanner-failed = { $path }: niet leesbaar als invoerapparaat: { $error }
doctor-scanner-access-fix = laat de gebruiker van de kassa invoerapparaten lezen: `adduser kaching input` (en meld u dan opnieuw aan)
doctor-scanner-no-name = geen leesbaar invoerapparaat met een naam als '{ $needle }'
doctor-scanner-no-name-fix = sluit de scanner aan, of stel scanner.device in op zijn pad in /dev/input/by-id/; de gebruiker van de kassa moet in de groep input zitten
doctor-scanner-found-name = '{ $needle }' → { $path } ({ $name })
doctor-time-zone = { $name }, nu UTC{ $offset }
doctor-clock-before-last-sale = de klok zegt { $now }, vóór de laatste verkoop ({ $last }): een machine zonder RTC?
doctor-clock-fix-time = zet de tijd juist (verbind het netwerk voor NTP, of `date -s`) voor u verkoopt
doctor-clock-ntp-not-synced = { $now }, maar NTP is niet gesynchroniseerd
doctor-clock-fix-ntp = verbind het netwerk en zet NTP aan: `timedatectl set-ntp true`
doctor-clock-ok = { $now }, { $last ->
    [none] nog geen verkoop
    [unknown] laatste verkoop onbekend (het register ging niet open)
   *[at] na de laatste verkoop ({ $at })
}; { $ntp ->
    [synced] NTP gesynchroniseerd
   *[unknown] NTP-toestand onbekend ({ $why })
}
doctor-disk-ok = { $free } vrij van { $total } op { $dir }
doctor-disk-low = slechts { $free } vrij op { $dir } (minder dan { $min })
doctor-disk-fix = maak ruimte vrij (oude logboeken: `journalctl --vacuum-size=100M`, oude exports), of verplaats de datamap naar een grotere schijf
doctor-disk-unknown = kan de vrije ruimte van { $dir } niet lezen: { $error }
doctor-disk-unknown-fix = controleer of het bestandssysteem van de datamap aangekoppeld is
doctor-provider-manual = pay_server.provider = "manual": niets bewijst een QR-betaling (de knop op de klantpagina is voor de demo en de tests); zet pay_server.provider = "payconiq" op de betaalserver
doctor-provider-payconiq = Payconiq by Bancontact, betaalprofiel { $profile }, callbacks op { $callback }

## The drawer's X and Z reports (src/domain/drawer.rs).
drawer-z-title = Z-RAPPORT nr. { $no } — { $shop }
drawer-x-title = X-RAPPORT (sessie { $no } loopt) — { $shop }
drawer-r-till = Kassa
drawer-r-from = Geopend op
drawer-r-until = Tot
drawer-r-cashiers = Kassiers
drawer-r-tickets = Tickets
drawer-r-voids = Gewiste lijnen
drawer-r-revenue = Omzet
drawer-r-vat = Btw { $rate } % (incl. / btw)
drawer-r-cash = Contant
drawer-r-qr = QR
drawer-r-rounding = Afrondingen
drawer-r-float = Wisselgeld
drawer-r-not-counted = niet geteld
drawer-r-in = Contant in
drawer-r-out = Contant uit
drawer-r-withdrawals = Afhalingen
drawer-r-expected = Verwacht contant
drawer-r-counted = Geteld contant
drawer-r-difference = Verschil
drawer-r-refunds = Creditnota's
drawer-r-refunds-total = Terugbetalingen
drawer-r-refunds-cash = Contant terugbetaald
drawer-r-refunds-qr = Terugbetaald via QR
drawer-r-discounts = Verkopen met korting
drawer-r-discounts-total = Kortingen
cli-no-z = geen Z-rapport nr. { $no } op { $till }
cli-no-z-yet = nog geen Z-rapport op { $till }
