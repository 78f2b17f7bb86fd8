# L'écran tactile (src/gui) : boutons, titres, messages. Les identifiants commencent par gui-.
# Un texte de bouton doit tenir dans son bouton à 800×480 (les tests GUI le vérifient).

## Boutons et titres fixes (gui-l-…, posés par src/gui/render/labels.rs).
gui-l-login-id = Identifiant
gui-l-login-pin = Code PIN
gui-l-login-ok = Connexion
gui-l-till-article = Num d'article (ou scanner)
gui-l-till-article-tip = Num d'article
gui-l-till-withdraw =
    Retrait
    d'argent
gui-l-till-plus = Qté +
gui-l-till-minus = Qté −
gui-l-till-void =
    Supprimer
    la ligne
gui-l-logout = Déconnexion
gui-l-till-admin = Admin
gui-l-till-cash = Espèces
gui-l-till-pay = Payer
gui-l-col-article = Article
gui-l-col-qty = Qté
gui-l-col-price = Prix
gui-l-col-amount = Montant
gui-l-pay-total = TOTAL À RÉGLER
gui-l-pay-cancel = ANNULER
gui-l-tab-days = Rapports
gui-l-tab-journal = Journal
gui-l-tab-products = Produits
gui-l-tab-staff = Personnel
gui-l-admin-till = Vente
gui-l-col-day = Jour
gui-l-col-tickets = Tickets
gui-l-col-revenue = Recette
gui-l-col-withdrawals = Retraits
gui-l-days-open = Ouvrir
gui-l-days-delete = Supprimer
gui-l-col-time = Heure
gui-l-col-seller = Vendeur
gui-l-col-product = Produit
gui-l-report-back = Retour
gui-l-journal-from = Du
gui-l-journal-to = au
gui-l-journal-show = Afficher
gui-l-col-vat = TVA
gui-l-col-code = Code
gui-l-col-name = Nom
gui-l-form-barcode = Code-barres
gui-l-form-price = Prix (€)
gui-l-products-save = Enregistrer
gui-l-products-import = Importer CSV
gui-l-col-id = ID
gui-l-col-role = Rôle
gui-l-col-role-lang = Rôle · langue
gui-l-form-pin = PIN
gui-l-staff-add = Ajouter
gui-l-staff-reset-pin = Nouveau PIN
gui-l-reprint = Réimprimer
gui-l-amount-cancel = Annuler
gui-l-amount-ok = Valider
gui-l-choose-question = Quel compte voulez-vous payer d'abord ?
gui-l-cash-title = À RENDRE
gui-l-ok = OK
gui-l-confirm-no = Non
gui-l-confirm-yes = Oui, supprimer
gui-l-kbd-shift = ⇧ Maj
gui-l-kbd-space = espace
gui-l-kbd-enter = Entrée
gui-l-kbd-close = Fermer

## Textes qui suivent l'état.
gui-seller = Vendeur : { $name }
gui-account-main = PANIER PRINCIPAL
gui-account-sub = SOUS-COMPTE
gui-total-main = Principal : { $amount }
gui-total-sub = Sous-compte : { $amount }
gui-till-to-sub = Sous-compte
gui-till-to-main =
    Panier
    principal
gui-line-withdrawal = { $name } (retrait)
gui-pay-pending = EN ATTENTE DU PAIEMENT
gui-pay-accepted = PAIEMENT ACCEPTÉ
gui-pay-cancelling = ANNULATION EN COURS…
gui-pay-paid-after-cancel = PAYÉ APRÈS ANNULATION
gui-withdraw-title = Retrait d'argent
gui-cash-title-main = Espèces · principal · montant reçu (vide = exact)
gui-cash-title-sub = Espèces · sous-compte · montant reçu (vide = exact)
gui-cash-due-main = Espèces · principal · à payer { $due } (arrondi) · montant reçu (vide = exact)
gui-cash-due-sub = Espèces · sous-compte · à payer { $due } (arrondi) · montant reçu (vide = exact)
gui-choose-main =
    Panier Principal
    { $amount }
gui-choose-sub =
    Sous-Compte
    { $amount }
gui-net-standalone = Caisse autonome
gui-net-unusable = ⚠ Base centrale inutilisable (central.url)
gui-net-online = ● En ligne
gui-net-online-pending = ● En ligne · { $pending } en attente
gui-net-offline = ○ Hors ligne · { $pending ->
        [one] { $pending } vente en attente
       *[other] { $pending } ventes en attente
    }
gui-net-connecting = … Central : connexion · { $pending } en attente
gui-net-parked = ⚠ { $text } ({ $parked ->
        [one] { $parked } bloquée
       *[other] { $parked } bloquées
    })
gui-printer-ready = Imprimante : prête
gui-printer-ok = Imprimante : OK
gui-printer-failed = ⚠ Impression échouée
gui-printer-failed-queue = ⚠ Impression échouée ({ $count })
gui-scanner = Scanner : { $message }
gui-clock-warning = Horloge en retard sur la dernière vente !
gui-closing-at = Fermeture à { $time }
gui-role-admin = Admin
gui-role-cashier = Caissier
gui-disabled-name = { $name } (désactivé)
gui-enable = Activer
gui-disable = Désactiver
gui-source-central = Source : base centrale (toutes les caisses)
gui-source-local-unreachable = Source : cette caisse seulement (base centrale injoignable)
gui-source-local = Source : cette caisse
gui-days-title = Rapports journaliers
gui-days-title-central = Rapports journaliers · toutes les caisses
gui-days-title-local = Rapports journaliers · cette caisse
gui-report-title = Rapport du { $day }
gui-report-balance = SOLDE CAISSE
gui-report-withdrawals = Retraits espèces (hors total)
gui-report-rounding = Arrondi espèces (hors total)
gui-report-tickets = Tickets : { $count }
gui-report-sales = Ventes (avant notes de crédit)
gui-report-refunds = Notes de crédit : { $count }
gui-report-discounts = Remises ({ $count ->
    [one] { $count } vente
   *[other] { $count } ventes
}, déjà déduites)
gui-report-seller = Vendeur
gui-report-seller-detail = { $count ->
        [one] { $count } ticket
       *[other] { $count } tickets
    } · retraits { $withdrawals }
gui-report-vat = TVA
gui-report-vat-detail = HTVA { $net } · TVA { $vat }
gui-journal-total = TOTAL

## Messages.
gui-logout-closed = Magasin fermé : caisse verrouillée. Heures d'ouverture : { $hours }
gui-logout-replaced = Une autre personne s'est connectée.
gui-session-locked = Session verrouillée après 15 min d'inactivité : entrez votre PIN (le panier est conservé).
gui-pay-unavailable = Serveur de paiement injoignable : réessayez ou encaissez en espèces.
gui-error = { $message } ({ $code })
gui-pay-cancelling-note = Le serveur de paiement ne répond pas : le panier reste bloqué jusqu'à sa réponse.
gui-pay-paid-after-cancel-note = Le client a payé { $amount } malgré l'annulation : appuyez sur PAIEMENT ACCEPTÉ.
gui-pay-cancelled = Paiement annulé.
gui-sale-recorded = ✔ Ticket n° { $ticket } : { $amount }
gui-change-detail = Reçu { $received } · ticket n° { $ticket }
gui-enter-id = Entrez votre identifiant.
gui-no-line = Aucune ligne.
gui-empty-basket = Le panier est vide.
gui-payment-busy = Un paiement est en cours : terminez-le ou annulez-le d'abord.
gui-pay-connecting = Connexion au serveur de paiement…
gui-enter-amount = Entrez un montant.
gui-bad-amount = Montant invalide : chiffres et une virgule, deux décimales au plus.
gui-pay-not-confirmed = Le client n'a pas encore confirmé sur son téléphone.
gui-close-during-payment = Terminez ou annulez le paiement avant de fermer la caisse.
gui-no-day = Aucun jour à ouvrir.
gui-pick-day = Choisissez un jour dans la liste.
gui-hide-day-question =
    Supprimer le rapport du { $day } de la liste ?
    Les ventes restent enregistrées ; la suppression est tracée.
gui-exporting = Export en cours…
gui-exported = Exporté : { $path }
gui-no-report = Aucun rapport ouvert.
gui-bad-dates = Dates attendues au format AAAA-MM-JJ ou JJ/MM/AAAA.
gui-pick-product = Choisissez un produit dans la liste.
gui-import-path = Indiquez le chemin du fichier CSV (code,barcode,name,price,vat_rate).
gui-importing = Import en cours…
gui-imported = Import terminé : { $added ->
        [one] { $added } ajouté
       *[other] { $added } ajoutés
    }, { $updated ->
        [one] { $updated } modifié
       *[other] { $updated } modifiés
    }.
gui-pick-person = Choisissez une personne dans la liste.
gui-pick-person-pin = Choisissez une personne et entrez le nouveau PIN.
gui-nothing-changed = Rien n'a changé.
gui-field-code = Code : { $error }
gui-field-barcode = Code-barres : { $error }
gui-field-name = Nom : { $error }
gui-field-price = Prix : { $error }
gui-field-vat = TVA : choisissez un taux
gui-field-id = ID : { $error }

## The cash drawer (src/gui/model/drawer.rs): the « Caisse » pane and the counter.
gui-l-tab-drawer = Caisse
gui-l-drawer-float = Ouvrir (fond)
gui-l-drawer-x = Rapport X
gui-l-drawer-z = Clôture Z
gui-l-drawer-history = Les Z
gui-l-drawer-reason = Motif
gui-l-drawer-in = Entrée
gui-l-drawer-out = Sortie
gui-l-col-figure = Poste
gui-l-col-z = Z
gui-l-col-closed = Clôturé le
gui-l-col-counted = Compté
gui-l-col-difference = Écart
gui-drawer-open-state = Tiroir ouvert : session n° { $no } (Z à venir)
gui-drawer-closed-state = Aucun tiroir ouvert
gui-drawer-already-open = Un tiroir est déjà ouvert : faites le Z avant d'en ouvrir un autre.
gui-drawer-none-open = Aucun tiroir n'est ouvert.
gui-drawer-opened = Tiroir n° { $no } ouvert, fond de caisse { $amount }
gui-drawer-opened-uncounted = Tiroir n° { $no } ouvert sans fond compté (0,00 €)
gui-drawer-moved-in = Entrée d'espèces : { $amount } ({ $reason })
gui-drawer-moved-out = Sortie d'espèces : { $amount } ({ $reason })
gui-drawer-in-title = Entrée d'espèces
gui-drawer-out-title = Sortie d'espèces
gui-drawer-difference = Écart : { $amount }
gui-count-float-title = Comptez le fond de caisse
gui-count-close-title = Comptez la caisse pour le Z
gui-count-total = Total : { $amount }
gui-count-later = Plus tard
gui-count-empty = Rien n'est compté : Valider encore pour 0,00 €.
gui-count-too-many = Au plus { $max } pièces ou billets par valeur.

## Remises, accord d'un responsable, retours (src/gui/model/discount.rs, approval.rs, returns.rs).
gui-l-till-discount = Remise
gui-l-till-return = Retour
gui-l-discount-remove = Retirer la remise
gui-l-approve-id = ID du responsable
gui-l-approve-pin = PIN du responsable
gui-l-return-title = RETOUR
gui-l-return-find = Chercher
gui-l-return-next = Rembourser…
gui-l-return-all = Tout
gui-l-refund-back = ← Lignes
gui-l-refund-ok = Rembourser
gui-l-alarm-title = ⚠ REMBOURSEMENT QR ÉCHOUÉ
gui-l-alarm-ok = Compris : je rends en espèces
gui-l-col-sold = Vendu
gui-l-col-returned = Rendu
gui-l-col-left = Reste
gui-l-col-return = Retour
gui-discount-title-line = Remise · ligne { $line } : { $name } ({ $amount })
gui-discount-title-basket = Remise sur le panier ({ $amount })
gui-discount-on-line = Ligne { $line }
gui-discount-on-line-none = Ligne
gui-discount-on-basket = Panier
gui-discount-kind-price =
    Nouveau
    prix
gui-discount-new-price = nouveau prix { $price }
gui-discount-reason-optional = Motif : au choix (demandé au-delà de la remise permise)
gui-discount-reason-needed = Un responsable doit accorder cette remise : choisissez un motif.
gui-discount-reason-asked = Cette remise demande l'accord d'un responsable : choisissez un motif, puis Valider.
gui-discount-enter-value = Tapez un pourcentage, un montant ou un prix.
gui-discount-price-line-only = Un nouveau prix se donne sur une ligne, pas sur le panier.
gui-discount-applied = ✔ Remise appliquée
gui-discount-approved = ✔ Remise accordée par { $name }
gui-discount-note-amount = Remise { $off }
gui-discount-note-price = Prix { $price } · { $off }
gui-discount-note-basket = Remise panier { $off }
gui-discount-total = Remises : { $off }
gui-discount-total-basket = Remises : { $off } (panier { $rule })
gui-reason-shown = Motif : { $reason }
gui-bad-reason = Motif : { $chars } caractères au plus, sans caractère de contrôle.
gui-reason-damaged = Article abîmé
gui-reason-loyal = Client fidèle
gui-reason-price-error = Erreur de prix
gui-reason-goodwill = Geste commercial
gui-approval-title-discount = Accord d'un responsable : remise
gui-approval-title-price = Accord d'un responsable : nouveau prix
gui-approval-title-refund = Accord d'un responsable : remboursement
gui-approval-asked-line = { $value } · ligne { $line } ({ $name })
gui-approval-asked-basket = { $value } · panier
gui-approval-asked-refund = Retour du ticket n° { $ticket } : { $amount } { $method } · motif : { $reason }
gui-approval-enter-id = Tapez l'ID du responsable.
gui-approval-enter-pin = Tapez le PIN du responsable.
gui-approval-cancelled = Accord annulé : rien n'a été fait.
gui-approved-by = ✔ Accordé par { $name }
gui-method-cash = en espèces
gui-method-qr = par QR
gui-return-hint = Scannez le code QR du ticket ou tapez son numéro (ou caisse/numéro), puis Chercher.
gui-return-info = Ticket n° { $ticket } · { $till } · { $at } · payé { $method }
gui-return-bad-ticket = « { $value } » n'est pas un ticket : son numéro, caisse/numéro, ou son code QR.
gui-return-pick-line = Choisissez une ligne du ticket.
gui-return-qty = Ligne { $line } · reste { $left }
gui-return-amount = À rendre : { $amount }
gui-return-nothing-picked = Rien n'est choisi : une ligne, sa quantité, puis OK (ou Tout).
gui-refund-title = Ticket n° { $ticket }, payé { $method } le { $at }
gui-refund-due-rounded = À rendre : { $amount } · en espèces { $cash } (arrondi)
gui-refund-cash = Espèces
gui-refund-as-paid =
    Comme payé
    ({ $method })
gui-refund-reason-needed = Motif obligatoire : choisissez-en un ou tapez-le (⌨).
gui-refund-reason-defective = Article défectueux
gui-refund-reason-unsuited = Ne convient pas
gui-refund-reason-till-error = Erreur de caisse
gui-refund-recorded = ✔ Note de crédit n° { $ticket } : { $amount } rendus
gui-refunded-title-cash = À RENDRE AU CLIENT
gui-refunded-title-qr = REMBOURSÉ PAR L'APPLICATION
gui-refunded-detail = Note de crédit n° { $ticket } · ticket n° { $original }
gui-refunded-rounding = arrondi { $amount }
gui-refund-status-pending = remboursement en cours
gui-refund-status-succeeded = remboursement confirmé
gui-refund-status-failed = remboursement échoué
gui-refund-succeeded = ✔ Remboursement QR de la note de crédit n° { $ticket } confirmé
gui-alarm-text = Le remboursement par l'application de la note de crédit n° { $ticket } a échoué ({ $reason }) : l'argent n'est PAS revenu au client. Rendez-lui { $amount } en espèces.
gui-alarm-text-no-amount = Le remboursement par l'application de la note de crédit n° { $ticket } a échoué ({ $reason }) : l'argent n'est PAS revenu au client. Rendez-lui le montant en espèces.
gui-return-line-note = { $sold } × { $unit } · payé { $paid }
gui-refund-unconfirmed-wait = Le serveur de paiement n'a pas encore confirmé ce remboursement : la caisse redemande, la note de crédit s'affichera dès sa réponse.
