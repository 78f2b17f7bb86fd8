# Het aanraakscherm (src/gui): knoppen, titels, berichten. De id's beginnen met gui-.
# Een knoptekst moet in zijn knop passen op 800×480 (de GUI-tests controleren het).

## Vaste knoppen en titels.
gui-l-login-id = Gebruikers-ID
gui-l-login-pin = Pincode
gui-l-login-ok = Aanmelden
gui-l-till-article = Artikelnr. (of scanner)
gui-l-till-article-tip = Artikelnummer
gui-l-till-withdraw =
    Geld
    afhalen
gui-l-till-plus = Aantal +
gui-l-till-minus = Aantal −
gui-l-till-void =
    Lijn
    wissen
gui-l-logout = Afmelden
gui-l-till-admin = Beheer
gui-l-till-cash = Contant
gui-l-till-pay = Betalen
gui-l-col-article = Artikel
gui-l-col-qty = Aant
gui-l-col-price = Prijs
gui-l-col-amount = Bedrag
gui-l-pay-total = TE BETALEN
gui-l-pay-cancel = ANNULEREN
gui-l-tab-days = Rapporten
gui-l-tab-journal = Journaal
gui-l-tab-products = Producten
gui-l-tab-staff = Personeel
gui-l-admin-till = Verkoop
gui-l-col-day = Dag
gui-l-col-tickets = Tickets
gui-l-col-revenue = Ontvangst
gui-l-col-withdrawals = Afhalingen
gui-l-days-open = Openen
gui-l-days-delete = Wissen
gui-l-col-time = Uur
gui-l-col-seller = Verkoper
gui-l-col-product = Product
gui-l-report-back = Terug
gui-l-journal-from = Van
gui-l-journal-to = tot
gui-l-journal-show = Tonen
gui-l-col-vat = Btw
gui-l-col-code = Code
gui-l-col-name = Naam
gui-l-form-barcode = Barcode
gui-l-form-price = Prijs (€)
gui-l-products-save = Opslaan
gui-l-products-import =
    CSV
    importeren
gui-l-col-id = ID
gui-l-col-role = Rol
gui-l-col-role-lang = Rol · taal
gui-l-form-pin = Pin
gui-l-staff-add = Toevoegen
gui-l-staff-reset-pin = Nieuwe pin
gui-l-reprint = Herdrukken
gui-l-amount-cancel = Annuleren
gui-l-amount-ok = Bevestigen
gui-l-choose-question = Welke rekening wilt u eerst betalen?
gui-l-cash-title = TERUG TE GEVEN
gui-l-ok = OK
gui-l-confirm-no = Nee
gui-l-confirm-yes = Ja, wissen
gui-l-kbd-shift = ⇧ Hoofdl.
gui-l-kbd-space = spatie
gui-l-kbd-enter = Enter
gui-l-kbd-close = Sluiten

## Teksten die de toestand volgen.
gui-seller = Verkoper: { $name }
gui-account-main = HOOFDMANDJE
gui-account-sub = SUBREKENING
gui-total-main = Hoofdmandje: { $amount }
gui-total-sub = Subrekening: { $amount }
gui-till-to-sub = Subrekening
gui-till-to-main = Hoofdmandje
gui-line-withdrawal = { $name } (geldopname)
gui-pay-pending = WACHTEN OP BETALING
gui-pay-accepted = BETALING AANVAARD
gui-pay-cancelling = BEZIG MET ANNULEREN…
gui-pay-paid-after-cancel = BETAALD NA ANNULERING
gui-withdraw-title = Geld afhalen
gui-cash-title-main = Contant · hoofdmandje · ontvangen bedrag (leeg = gepast)
gui-cash-title-sub = Contant · subrekening · ontvangen bedrag (leeg = gepast)
gui-cash-due-main = Contant · hoofdmandje · te betalen { $due } (afgerond) · ontvangen bedrag (leeg = gepast)
gui-cash-due-sub = Contant · subrekening · te betalen { $due } (afgerond) · ontvangen bedrag (leeg = gepast)
gui-choose-main =
    Hoofdmandje
    { $amount }
gui-choose-sub =
    Subrekening
    { $amount }
gui-net-standalone = Zelfstandige kassa
gui-net-unusable = ⚠ Centrale databank onbruikbaar (central.url)
gui-net-online = ● Online
gui-net-online-pending = ● Online · { $pending } in wachtrij
gui-net-offline = ○ Offline · { $pending ->
        [one] { $pending } verkoop in wachtrij
       *[other] { $pending } verkopen in wachtrij
    }
gui-net-connecting = … Centraal: verbinden · { $pending } in wachtrij
gui-net-parked = ⚠ { $text } ({ $parked } geblokkeerd)
gui-printer-ready = Printer: klaar
gui-printer-ok = Printer: OK
gui-printer-failed = ⚠ Afdrukken mislukt
gui-printer-failed-queue = ⚠ Afdrukken mislukt ({ $count })
gui-scanner = Scanner: { $message }
gui-clock-warning = De klok loopt achter op de laatste verkoop!
gui-closing-at = Sluiting om { $time }
gui-role-admin = Admin
gui-role-cashier = Kassier
gui-disabled-name = { $name } (uitgeschakeld)
gui-enable = Inschakelen
gui-disable = Uitschakelen
gui-source-central = Bron: centrale databank (alle kassa's)
gui-source-local-unreachable = Bron: alleen deze kassa (centrale databank onbereikbaar)
gui-source-local = Bron: deze kassa
gui-days-title = Dagrapporten
gui-days-title-central = Dagrapporten · alle kassa's
gui-days-title-local = Dagrapporten · deze kassa
gui-report-title = Rapport van { $day }
gui-report-balance = KASSALDO
gui-report-withdrawals = Geldafhalingen (buiten totaal)
gui-report-rounding = Afronding contant (buiten het totaal)
gui-report-tickets = Kastickets: { $count }
gui-report-sales = Verkopen (vóór creditnota's)
gui-report-refunds = Creditnota's: { $count }
gui-report-discounts = Kortingen ({ $count ->
    [one] { $count } verkoop
   *[other] { $count } verkopen
}, al afgetrokken)
gui-report-seller = Verkoper
gui-report-seller-detail = { $count ->
        [one] { $count } kasticket
       *[other] { $count } kastickets
    } · afhalingen { $withdrawals }
gui-report-vat = Btw
gui-report-vat-detail = Excl. btw { $net } · btw { $vat }
gui-journal-total = TOTAAL

## Berichten.
gui-logout-closed = Winkel gesloten: kassa vergrendeld. Openingsuren: { $hours }
gui-logout-replaced = Iemand anders heeft zich aangemeld.
gui-session-locked = Sessie vergrendeld na 15 min zonder activiteit: geef uw pincode in (het mandje blijft bewaard).
gui-pay-unavailable = Betaalserver onbereikbaar: probeer opnieuw of reken contant af.
gui-error = { $message } ({ $code })
gui-pay-cancelling-note = De betaalserver antwoordt niet: het mandje blijft geblokkeerd tot zijn antwoord.
gui-pay-paid-after-cancel-note = De klant heeft { $amount } betaald ondanks de annulering: druk op BETALING AANVAARD.
gui-pay-cancelled = Betaling geannuleerd.
gui-sale-recorded = ✔ Kasticket nr. { $ticket }: { $amount }
gui-change-detail = Ontvangen { $received } · kasticket nr. { $ticket }
gui-enter-id = Geef uw gebruikers-ID in.
gui-no-line = Geen lijn.
gui-empty-basket = Het mandje is leeg.
gui-payment-busy = Er loopt een betaling: rond ze af of annuleer ze eerst.
gui-pay-connecting = Verbinden met de betaalserver…
gui-enter-amount = Geef een bedrag in.
gui-bad-amount = Ongeldig bedrag: cijfers en één komma, hoogstens twee decimalen.
gui-pay-not-confirmed = De klant heeft nog niet bevestigd op zijn telefoon.
gui-close-during-payment = Rond de betaling af of annuleer ze voor u de kassa sluit.
gui-no-day = Geen dag om te openen.
gui-pick-day = Kies een dag in de lijst.
gui-hide-day-question =
    Het rapport van { $day } uit de lijst wissen?
    De verkopen blijven bewaard; het wissen wordt gelogd.
gui-exporting = Bezig met exporteren…
gui-exported = Geëxporteerd: { $path }
gui-no-report = Geen rapport geopend.
gui-bad-dates = Datums verwacht als JJJJ-MM-DD of DD/MM/JJJJ.
gui-pick-product = Kies een product in de lijst.
gui-import-path = Geef het pad van het CSV-bestand (code,barcode,name,price,vat_rate).
gui-importing = Bezig met importeren…
gui-imported = Import klaar: { $added } toegevoegd, { $updated } gewijzigd.
gui-pick-person = Kies een persoon in de lijst.
gui-pick-person-pin = Kies een persoon en geef de nieuwe pincode in.
gui-nothing-changed = Er is niets gewijzigd.
gui-field-code = Code: { $error }
gui-field-barcode = Barcode: { $error }
gui-field-name = Naam: { $error }
gui-field-price = Prijs: { $error }
gui-field-vat = Btw: kies een tarief
gui-field-id = ID: { $error }

## The cash drawer (src/gui/model/drawer.rs): the « Caisse » pane and the counter.
gui-l-tab-drawer = Kassa
gui-l-drawer-float = Openen (wissel)
gui-l-drawer-x = X-rapport
gui-l-drawer-z = Z-afsluiting
gui-l-drawer-history = De Z's
gui-l-drawer-reason = Reden
gui-l-drawer-in = Storting
gui-l-drawer-out = Opname
gui-l-col-figure = Post
gui-l-col-z = Z
gui-l-col-closed = Afgesloten op
gui-l-col-counted = Geteld
gui-l-col-difference = Verschil
gui-drawer-open-state = Lade open: sessie nr. { $no } (komende Z)
gui-drawer-closed-state = Geen lade open
gui-drawer-already-open = Er is al een lade open: maak eerst de Z.
gui-drawer-none-open = Er is geen lade open.
gui-drawer-opened = Lade nr. { $no } geopend, wisselgeld { $amount }
gui-drawer-opened-uncounted = Lade nr. { $no } geopend zonder geteld wisselgeld (0,00 €)
gui-drawer-moved-in = Storting: { $amount } ({ $reason })
gui-drawer-moved-out = Opname: { $amount } ({ $reason })
gui-drawer-in-title = Geld in de lade
gui-drawer-out-title = Geld uit de lade
gui-drawer-difference = Verschil: { $amount }
gui-count-float-title = Tel het wisselgeld
gui-count-close-title = Tel de kassa voor de Z
gui-count-total = Totaal: { $amount }
gui-count-later = Later
gui-count-empty = Niets geteld: nogmaals Bevestigen voor 0,00 €.
gui-count-too-many = Hoogstens { $max } munten of biljetten per waarde.

## Kortingen, goedkeuring van een verantwoordelijke, retours (src/gui/model/discount.rs, approval.rs, returns.rs).
gui-l-till-discount = Korting
gui-l-till-return = Retour
gui-l-discount-remove = Korting weghalen
gui-l-approve-id = ID verantwoordelijke
gui-l-approve-pin = Pincode verantwoordelijke
gui-l-return-title = RETOUR
gui-l-return-find = Zoeken
gui-l-return-next = Terugbetalen…
gui-l-return-all = Alles
gui-l-refund-back = ← Lijnen
gui-l-refund-ok = Terugbetalen
gui-l-alarm-title = ⚠ QR-TERUGBETALING MISLUKT
gui-l-alarm-ok = Begrepen: ik betaal contant terug
gui-l-col-sold = Verk.
gui-l-col-returned = Terug
gui-l-col-left = Rest
gui-l-col-return = Retour
gui-discount-title-line = Korting · lijn { $line }: { $name } ({ $amount })
gui-discount-title-basket = Korting op de mand ({ $amount })
gui-discount-on-line = Lijn { $line }
gui-discount-on-line-none = Lijn
gui-discount-on-basket = Mand
gui-discount-kind-price =
    Nieuwe
    prijs
gui-discount-new-price = nieuwe prijs { $price }
gui-discount-reason-optional = Reden: naar keuze (gevraagd boven de toegestane korting)
gui-discount-reason-needed = Een verantwoordelijke moet deze korting goedkeuren: kies een reden.
gui-discount-reason-asked = Deze korting vraagt de goedkeuring van een verantwoordelijke: kies een reden en dan Bevestigen.
gui-discount-enter-value = Typ een percentage, een bedrag of een prijs.
gui-discount-price-line-only = Een nieuwe prijs geldt voor een lijn, niet voor de mand.
gui-discount-applied = ✔ Korting toegepast
gui-discount-approved = ✔ Korting goedgekeurd door { $name }
gui-discount-note-amount = Korting { $off }
gui-discount-note-price = Prijs { $price } · { $off }
gui-discount-note-basket = Mandkorting { $off }
gui-discount-total = Kortingen: { $off }
gui-discount-total-basket = Kortingen: { $off } (mand { $rule })
gui-reason-shown = Reden: { $reason }
gui-bad-reason = Reden: hoogstens { $chars } tekens, zonder stuurtekens.
gui-reason-damaged = Beschadigd artikel
gui-reason-loyal = Trouwe klant
gui-reason-price-error = Prijsfout
gui-reason-goodwill = Commercieel gebaar
gui-approval-title-discount = Goedkeuring verantwoordelijke: korting
gui-approval-title-price = Goedkeuring verantwoordelijke: nieuwe prijs
gui-approval-title-refund = Goedkeuring verantwoordelijke: terugbetaling
gui-approval-asked-line = { $value } · lijn { $line } ({ $name })
gui-approval-asked-basket = { $value } · mand
gui-approval-asked-refund = Retour van kasticket nr. { $ticket }: { $amount } { $method } · reden: { $reason }
gui-approval-enter-id = Typ de ID van de verantwoordelijke.
gui-approval-enter-pin = Typ de pincode van de verantwoordelijke.
gui-approval-cancelled = Goedkeuring geannuleerd: er is niets gebeurd.
gui-approved-by = ✔ Goedgekeurd door { $name }
gui-method-cash = contant
gui-method-qr = met QR
gui-return-hint = Scan de QR-code van het kasticket of typ het nummer (of kassa/nummer), dan Zoeken.
gui-return-info = Kasticket nr. { $ticket } · { $till } · { $at } · { $method } betaald
gui-return-bad-ticket = "{ $value }" is geen kasticket: het nummer, kassa/nummer of de QR-code.
gui-return-pick-line = Kies een lijn van het kasticket.
gui-return-qty = Lijn { $line } · rest { $left }
gui-return-amount = Terug te geven: { $amount }
gui-return-nothing-picked = Niets gekozen: een lijn, het aantal, dan OK (of Alles).
gui-refund-title = Kasticket nr. { $ticket }, { $method } betaald op { $at }
gui-refund-due-rounded = Terug te geven: { $amount } · contant { $cash } (afgerond)
gui-refund-cash = Contant
gui-refund-as-paid =
    Zoals betaald
    ({ $method })
gui-refund-reason-needed = Reden verplicht: kies er een of typ ze (⌨).
gui-refund-reason-defective = Defect artikel
gui-refund-reason-unsuited = Past niet
gui-refund-reason-till-error = Kassafout
gui-refund-recorded = ✔ Creditnota nr. { $ticket }: { $amount } terugbetaald
gui-refunded-title-cash = TERUG TE GEVEN AAN DE KLANT
gui-refunded-title-qr = TERUGBETAALD VIA DE APP
gui-refunded-detail = Creditnota nr. { $ticket } · kasticket nr. { $original }
gui-refunded-rounding = afronding { $amount }
gui-refund-status-pending = terugbetaling bezig
gui-refund-status-succeeded = terugbetaling bevestigd
gui-refund-status-failed = terugbetaling mislukt
gui-refund-succeeded = ✔ QR-terugbetaling van creditnota nr. { $ticket } bevestigd
gui-alarm-text = De terugbetaling via de app van creditnota nr. { $ticket } is mislukt ({ $reason }): het geld is NIET terug bij de klant. Geef { $amount } contant terug.
gui-alarm-text-no-amount = De terugbetaling via de app van creditnota nr. { $ticket } is mislukt ({ $reason }): het geld is NIET terug bij de klant. Geef het bedrag contant terug.
gui-return-line-note = { $sold } × { $unit } · betaald { $paid }
gui-refund-unconfirmed-wait = De betaalserver heeft deze terugbetaling nog niet bevestigd: de kassa vraagt opnieuw, de creditnota verschijnt zodra hij antwoordt.
