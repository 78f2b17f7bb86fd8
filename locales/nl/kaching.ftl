# KACHING, Nederlands. Dezelfde identificaties en argumenten als in fr/ en en/.

## Aanmelden
login-unknown-id = ID '{ $id }' onbekend
login-disabled = { $name } is uitgeschakeld
login-locked = te veel pogingen: { $minutes } min geblokkeerd
login-locked-now = { $failures } foute pincodes: 15 min geblokkeerd
login-bad-pin = { $attempts ->
    [one] foute pincode: nog 1 poging
   *[other] foute pincode: nog { $attempts } pogingen
}
login-closed = winkel gesloten: het is { $time }; openingsuren { $hours }
login-closed-today = winkel vandaag gesloten: het is { $time }
login-already = { $name } is aangemeld: meld eerst af

## Sessie
session-not-logged-in = meld eerst aan (login <id> <pin>)
session-nobody = niemand is aangemeld
session-locked = sessie vergrendeld na { $minutes } min inactiviteit: { $name } moet opnieuw aanmelden
logout-payment = rond de betaling af of annuleer ze voor u afmeldt

## Mandje
basket-unknown-code = onbekend artikel of streepjescode '{ $code }'
basket-unknown-label = winkeletiket '{ $code }': geen artikel '{ $article }'
basket-weighed-too-large = de gewogen prijs is te hoog
basket-being-paid = het { $account ->
    [sub] submandje
   *[other] hoofdmandje
} wordt betaald: rond de betaling eerst af of annuleer ze
basket-held = het { $account ->
    [sub] submandje
   *[other] hoofdmandje
} wordt door een betaling vastgehouden: rond ze eerst af of annuleer ze
basket-empty = het { $account ->
    [sub] submandje
   *[other] hoofdmandje
} is leeg: niets te betalen

## Betaling
payment-in-progress = er loopt al een betaling
pay-qr-unavailable = op deze kassa is geen betaalserver ingesteld: betaal contant (pay <main|sub> cash [bedrag])
pay-not-recorded = de betaling kon niet worden vastgelegd: { $error }
pay-sale-not-recorded = de verkoop kon niet worden vastgelegd: { $error }
pay-unavailable = { $error }: betaal contant, of probeer opnieuw
pay-already-paid = de klant heeft al betaald: druk op accept om de verkoop vast te leggen
pay-not-paid-yet = de klant heeft de betaling nog niet bevestigd
pay-nothing-to-accept = er wacht geen betaling op aanvaarding
pay-nothing-to-cancel = geen betaling om te annuleren
pay-recording = er wordt een verkoop vastgelegd
pay-tender-too-low = { $tendered } ontvangen is minder dan de { $total } te betalen
reprint-nothing = op deze kassa is nog geen kasticket afgedrukt

## Opstarten
central-unusable = centrale databank onbruikbaar, de verkopen blijven in de kassa tot central.url is hersteld: { $error }

## De pagina van de klant (telefoon)
page-title = Betaling
page-total = Totaal: { $amount }
page-seller = Verkoper: { $seller }
page-confirm = Betaling bevestigen
page-to-pay = Te betalen: druk op de knop om { $amount } te betalen.
page-paid = Betaald ✓ Dank u!
page-cancelled = Betaling geannuleerd door de kassa.
page-expired = Betaling verlopen. Vraag een nieuwe code aan de kassa.
page-no-such-link = Deze betaallink bestaat niet.
page-bad-form = Ongeldig formulier: laad de pagina opnieuw.
page-refused = Verzoek geweigerd.
page-refused-reload = Verzoek geweigerd: laad de pagina opnieuw.
page-already-paid = Deze betaling is al bevestigd.
page-was-cancelled = Deze betaling is geannuleerd.
page-was-expired = Deze betaling is verlopen.
page-amount-mismatch = Het bedrag klopt niet: laad de pagina opnieuw.
page-bad-language = Onbekende taal: kies FR, NL of EN.
page-languages = Taal

## Beheer
admin-not-found = niet gevonden
admin-no-such-staff = medewerker niet gevonden
admin-no-such-product = artikel niet gevonden
admin-central-unreachable = centrale databank onbereikbaar, er is niets gewijzigd: { $detail }
admin-central-conflict = een andere wijziging in de centrale databank zat in de weg, { $tries } keer opnieuw geprobeerd; er is niets gewijzigd, probeer opnieuw: { $detail }
admin-central-refused = geweigerd door de centrale databank, er is niets gewijzigd: { $detail }
admin-central-unusable = centrale databank ingesteld maar onbruikbaar (zie het logboek), er is niets gewijzigd
admin-saved-centrally = opgeslagen in de centrale databank maar nog niet op deze kassa (de volgende synchronisatie past het toe): { $detail }
admin-only = alleen voor de beheerder ({ $name } is { $role })
admin-cannot-write = kan niet schrijven in { $dir }: { $error }
admin-nothing-imported = { $error }; er is niets geïmporteerd
admin-staff-exists = ID { $id } bestaat al
admin-not-yourself = u kunt uzelf niet uitschakelen
admin-unknown-id = ID { $id } onbekend

## Het kasticket
ticket-vat = BTW
ticket-duplicate = DUPLICAAT
ticket-main = HOOFDREKENING
ticket-sub = SUBREKENING
ticket-number = Ticket
ticket-number-line = Ticket: { $value }
ticket-till = Kassa
ticket-till-line = Kassa: { $value }
ticket-date = Datum
ticket-date-line = Datum: { $value }
ticket-seller = Verkoper
ticket-seller-line = Verkoper: { $value }
ticket-article = Artikel
ticket-qty = Aant
ticket-price = Prijs
ticket-each = à
ticket-total = TOTAAL BETAALD
ticket-withdrawal = waarvan geldopname
ticket-base = Basis
ticket-payment = Betaling
ticket-cash = Contant
ticket-cash-received = Contant ontvangen
ticket-change = Wisselgeld
ticket-rounding = Afronding
ticket-cash-due = Te betalen contant
ticket-provider-ref = Betalingsref.
ticket-thanks = Bedankt voor uw bezoek!
ticket-seal = Zegel
ticket-credit-note = CREDITNOTA
ticket-credit-for = Betreft ticket nr. { $ticket } van { $date }
ticket-reason = Reden
ticket-reason-line = Reden: { $value }
ticket-approved = Akkoord
ticket-approved-line = Akkoord: { $value }
ticket-discount = Korting
ticket-discount-total = Totaal kortingen
ticket-credit-total = TOTAAL
ticket-refunded-cash = Terugbetaald in contanten
ticket-refunded-qr = Terugbetaald via QR

## The drawer's slips (cash in/out) and the X/Z on the till's printer (src/domain/drawer_print.rs).
slip-in = CONTANT IN KASSA
slip-out = CONTANT UIT KASSA
slip-session = Sessie (Z)
slip-session-line = Sessie (Z): { $value }
slip-move = Beweging
slip-move-line = Beweging: { $value }
slip-cashier = Kassier
slip-cashier-line = Kassier: { $value }
slip-amount = BEDRAG
slip-reason = Reden
slip-reason-line = Reden: { $value }
slip-signature = Handtekening
slip-z-title = Z-RAPPORT nr. { $no }
slip-x-title = X-RAPPORT
slip-x-session = sessie { $no } loopt

## The basket's refusals (src/actors/basket.rs).
basket-no-line = lijn { $line } bestaat niet
basket-qty-below-one = artikel verwijderen: wis de lijn
basket-bad-qty = aantal { $qty } geweigerd (1 tot { $max })
basket-withdrawal-qty = het aantal van een geldopname verandert niet: wis de lijn
basket-zero-withdrawal = een geldopname moet meer zijn dan 0,00 €
basket-withdrawal-max = de geldopnames in dit mandje zouden { $total } bereiken, boven het maximum van { $max }
basket-full = het mandje is vol ({ $max } lijnen)
basket-overflow = bedrag te hoog
basket-inactive = artikel { $product } is uitgeschakeld

## Bad input: amounts, codes, products, staff (src/domain), and the headless commands.
money-empty = leeg bedrag
money-malformed = "{ $value }" is geen bedrag (15, 15.00 of 15,00)
money-negative = "{ $value }" is negatief: bedragen zijn positief
money-too-precise = "{ $value }" heeft meer dan twee decimalen
money-too-large = "{ $value }" is te groot (hoogstens 1 000 000,00 €)
money-overflow = bedrag te groot
code-empty = lege code
code-too-long = code "{ $value }" is te lang (hoogstens 32 tekens)
code-bad-characters = code "{ $value }" bevat spaties of stuurtekens
code-check-digit = streepjescode "{ $value }" heeft een fout controlecijfer (slecht gelezen? scan opnieuw)
product-bad-vat = btw-tarief "{ $value }" is niet 0, 6, 12 of 21
product-empty-name = de productnaam is leeg
product-name-too-long = de productnaam is te lang (hoogstens { $max } tekens)
product-bad-price = prijs { $price } ligt niet tussen 0,00 € en 10 000,00 €
staff-bad-id = gebruikers-ID "{ $value }" moet 1 tot 8 cijfers hebben
staff-bad-pin = een pincode heeft 4 tot 8 cijfers
staff-bad-role = rol "{ $value }" is geen cashier of admin
staff-bad-name = de naam is leeg of langer dan 40 tekens
cmd-too-long = lijn langer dan { $max } bytes
cmd-empty = leeg commando
cmd-not-utf8 = de lijn is geen geldige UTF-8
cmd-usage = gebruik: { $usage }
cmd-bad-line = "{ $value }" is geen lijnnummer (1, 2, …)
cmd-bad-qty = "{ $value }" is geen aantal (1 tot 999)
cmd-bad-account = "{ $value }" is geen main of sub
cmd-bad-method = "{ $value }" is geen qr of cash
cmd-tendered-cash-only = een ontvangen bedrag geldt alleen voor contant (cash)
cmd-bad-lang = "{ $value }" is geen fr, nl of en
cmd-unknown = onbekend commando "{ $verb }" ({ $verbs })
instore-check-digit = winkelstreepjescode "{ $value }" heeft een fout controlecijfer (slecht gelezen? scan opnieuw)
instore-value-check = winkelstreepjescode "{ $value }" heeft een fout controlecijfer voor prijs/gewicht (slecht gelezen? scan opnieuw)
instore-zero = winkelstreepjescode "{ $value }" draagt een prijs of gewicht van nul
admin-staff-lang = { $id }: taal { $lang }, vanaf de volgende aanmelding
pay-server-manual-warning = OPGELET: pay_server.provider = "manual": niets bewijst een betaling op deze server (wie op de knop van de klantpagina drukt, "betaalt"). Alleen voor de demo en de tests; een winkel zet pay_server.provider = "payconiq".
pay-cancelled-expired = De Payconiq-betaling is verlopen: er is niets betaald.
pay-cancelled-failed = De Payconiq-betaling is mislukt: er is niets betaald.
pay-cancelled-authorization-failed = De bank van de klant weigerde de Payconiq-betaling: er is niets betaald.
pay-cancelled-cancelled = De Payconiq-betaling is geannuleerd: er is niets betaald.
pay-provider-bad-api-key = Payconiq weigert de API-sleutel van de winkel: neem contant aan en verwittig de verantwoordelijke (pay_server.payconiq).
pay-provider-unknown-profile = Payconiq kent het betaalprofiel van de winkel niet: neem contant aan en verwittig de verantwoordelijke.
pay-provider-rate-limited = Payconiq is overbelast: probeer zo meteen opnieuw, of neem contant aan.
pay-provider-down = Payconiq is onbereikbaar: neem contant aan.
pay-provider-refused = Payconiq weigerde de betaling: neem contant aan.
pay-provider-offline = Geen internet: een QR-betaling is nu niet mogelijk. Neem contant aan.

## The cash drawer (src/actors/mod.rs, src/actors/command.rs).
drawer-already-open = er is al een kassalade open: sluit ze (Z) voor u een nieuwe opent
drawer-none-open = er is geen kassalade open
drawer-payment-in-progress = er loopt een betaling: rond ze af of annuleer ze vóór de Z
drawer-amount-not-positive = het bedrag moet meer dan € 0,00 zijn
drawer-amount-too-large = het bedrag mag niet meer dan { $max } zijn
drawer-amount-negative = een wisselgeld of een telling kan niet negatief zijn
drawer-no-reason = geef een reden op (bv. bank, wisselgeld)
drawer-bad-reason = de reden mag hoogstens { $chars } afdrukbare tekens hebben

## Kortingen, goedkeuringen, retours
discount-bad-percent = een percentage gaat van 0,01 % tot 100 %
discount-not-positive = een korting moet meer dan 0,00 € zijn
discount-above-line = de korting ({ $discount }) is groter dan wat ze vermindert ({ $of })
discount-bad-price = een nieuwe prijs gaat van 0,00 € tot de catalogusprijs ({ $list }), die niet inbegrepen
discount-withdrawal = een geldopname krijgt nooit korting
discount-nothing = niets in dit mandje kan korting krijgen
approval-reason-needed = deze korting vraagt de goedkeuring van een verantwoordelijke: geef een reden
approval-nothing = niets wacht op de goedkeuring van een verantwoordelijke
approval-not-manager = alleen een verantwoordelijke (admin) kan goedkeuren
refund-bad-reason = de reden is verplicht en heeft hoogstens { $chars } afdrukbare tekens
refund-bad-ticket = "{ $value }" is geen ticket: het nummer, kassa/nummer, of de QR-code van het ticket
refund-bad-qty = hoeveelheid "{ $value }" kan niet (0 tot 999)
refund-no-line = het ticket heeft geen lijn { $line }
refund-withdrawal = een geldopname wordt niet terugbetaald
refund-over-return = er kan nog maar { $returnable } terug op lijn { $line }
refund-over-return-now = deze artikelen zijn net teruggebracht: open het ticket opnieuw
refund-nothing = er is geen lijn gekozen voor de retour
refund-is-credit-note = dit ticket is een creditnota: die wordt niet terugbetaald
refund-unknown-ticket = onbekend ticket
refund-unknown-no-central = onbekend ticket in deze kassa, en geen centrale databank om elders te zoeken
refund-central-down = het ticket van een andere kassa wordt in de centrale databank gezocht, die onbereikbaar is: { $error }
refund-none = er loopt geen retour: begin met het ticket
refund-no-provider = deze QR-verkoop heeft geen betalingsreferentie: betaal cash terug
refund-no-server = geen betaalserver ingesteld: betaal cash terug
refund-provider-refused = de terugbetaling via de app werd geweigerd ({ $reason }): betaal cash terug
refund-unconfirmed = de betaalserver antwoordt niet; de kassa vraagt opnieuw en boekt de creditnota zodra hij antwoordt
approval-detail-line = lijn { $line }: { $rule } = −{ $amount } ({ $pct })
approval-detail-basket = mandje: { $rule } = −{ $amount } ({ $pct })
approval-detail-refund = ticket { $ticket }: −{ $amount } ({ $method ->
    [cash] cash
   *[other] zoals betaald (QR)
})
