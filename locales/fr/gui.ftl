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
