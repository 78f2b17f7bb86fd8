# KACHING, français. Les identifiants et les arguments sont les mêmes dans nl/ et en/
# (src/i18n.rs le vérifie).

## Connexion
login-unknown-id = ID « { $id } » inconnu
login-disabled = { $name } est désactivé(e)
login-locked = trop d'essais : bloqué pendant { $minutes } min
login-locked-now = { $failures } PIN erronés : bloqué pendant 15 min
login-bad-pin = { $attempts ->
    [one] PIN erroné : encore { $attempts } essai
   *[other] PIN erroné : encore { $attempts } essais
}
login-closed = magasin fermé : il est { $time } ; heures d'ouverture { $hours }
login-closed-today = magasin fermé aujourd'hui : il est { $time }
login-already = { $name } est connecté(e) : déconnectez-vous d'abord

## Session
session-not-logged-in = connectez-vous d'abord (login <id> <pin>)
session-nobody = personne n'est connecté
session-locked = session verrouillée après { $minutes } min d'inactivité : { $name } doit se reconnecter
logout-payment = terminez ou annulez le paiement avant de vous déconnecter

## Panier
basket-unknown-code = article ou code-barres « { $code } » inconnu
basket-unknown-label = étiquette du magasin « { $code } » : pas d'article « { $article } »
basket-weighed-too-large = le prix pesé est trop élevé
basket-being-paid = le panier { $account ->
    [sub] du sous-compte
   *[other] principal
} est en cours de paiement : terminez ou annulez d'abord le paiement
basket-held = le panier { $account ->
    [sub] du sous-compte
   *[other] principal
} est retenu par un paiement : terminez-le ou annulez-le d'abord
basket-empty = le panier { $account ->
    [sub] du sous-compte
   *[other] principal
} est vide : rien à payer

## Paiement
payment-in-progress = un paiement est déjà en cours
pay-qr-unavailable = aucun serveur de paiement n'est configuré sur cette caisse : payez en espèces (pay <main|sub> cash [montant])
pay-not-recorded = le paiement n'a pas pu être enregistré : { $error }
pay-sale-not-recorded = la vente n'a pas pu être enregistrée : { $error }
pay-unavailable = { $error } : payez en espèces, ou réessayez
pay-already-paid = le client a déjà payé : appuyez sur accept pour enregistrer la vente
pay-not-paid-yet = le client n'a pas encore confirmé le paiement
pay-nothing-to-accept = aucun paiement n'attend d'être accepté
pay-nothing-to-cancel = aucun paiement à annuler
pay-recording = une vente est en cours d'enregistrement
pay-tender-too-low = { $tendered } reçu, c'est moins que les { $total } à payer
reprint-nothing = aucun ticket n'a encore été imprimé sur cette caisse

## Démarrage
central-unusable = base centrale inutilisable, les ventes restent dans la caisse tant que central.url n'est pas corrigé : { $error }

## La page du client (téléphone)
page-title = Paiement
page-total = Total : { $amount }
page-seller = Vendeur : { $seller }
page-confirm = Valider le paiement
page-to-pay = À payer : appuyez sur le bouton pour payer { $amount }.
page-paid = Payé ✓ Merci !
page-cancelled = Paiement annulé par la caisse.
page-expired = Paiement expiré. Demandez un nouveau code à la caisse.
page-no-such-link = Ce lien de paiement n'existe pas.
page-bad-form = Formulaire invalide : rechargez la page.
page-refused = Requête refusée.
page-refused-reload = Requête refusée : rechargez la page.
page-already-paid = Ce paiement a déjà été validé.
page-was-cancelled = Ce paiement a été annulé.
page-was-expired = Ce paiement a expiré.
page-amount-mismatch = Le montant ne correspond pas : rechargez la page.
page-bad-language = Langue inconnue : choisissez FR, NL ou EN.
page-languages = Langue

## Administration
admin-not-found = introuvable
admin-no-such-staff = membre du personnel introuvable
admin-no-such-product = article introuvable
admin-central-unreachable = base centrale injoignable, rien n'a été modifié : { $detail }
admin-central-conflict = une autre modification de la base centrale a gêné celle-ci, réessayée { $tries } fois ; rien n'a été modifié, réessayez : { $detail }
admin-central-refused = refusé par la base centrale, rien n'a été modifié : { $detail }
admin-central-unusable = base centrale configurée mais inutilisable (voir le journal), rien n'a été modifié
admin-saved-centrally = enregistré dans la base centrale mais pas encore sur cette caisse (la prochaine synchronisation l'applique) : { $detail }
admin-only = réservé à l'administrateur ({ $name } est { $role })
admin-cannot-write = impossible d'écrire dans { $dir } : { $error }
admin-nothing-imported = { $error } ; rien n'a été importé
admin-staff-exists = l'ID { $id } existe déjà
admin-not-yourself = vous ne pouvez pas vous désactiver vous-même
admin-unknown-id = ID { $id } inconnu

## Le ticket
ticket-vat = TVA
ticket-duplicate = DUPLICATA
ticket-main = COMPTE PRINCIPAL
ticket-sub = SOUS-COMPTE
ticket-number = Ticket
ticket-number-line = Ticket : { $value }
ticket-till = Caisse
ticket-till-line = Caisse : { $value }
ticket-date = Date
ticket-date-line = Date : { $value }
ticket-seller = Vendeur
ticket-seller-line = Vendeur: { $value }
ticket-article = Article
ticket-qty = Qté
ticket-price = Prix
ticket-each = à
ticket-total = TOTAL PAYÉ
ticket-withdrawal = dont retrait espèces
ticket-base = Base
ticket-payment = Paiement
ticket-cash = Espèces
ticket-cash-received = Espèces reçues
ticket-change = Rendu
ticket-rounding = Arrondi
ticket-cash-due = À payer en espèces
ticket-provider-ref = Réf. paiement
ticket-thanks = Merci de votre visite !
ticket-seal = Sceau
ticket-credit-note = NOTE DE CRÉDIT
ticket-credit-for = Se rapporte au ticket n° { $ticket } du { $date }
ticket-reason = Motif
ticket-reason-line = Motif : { $value }
ticket-approved = Accord
ticket-approved-line = Accord : { $value }
ticket-discount = Remise
ticket-discount-total = Total des remises
ticket-credit-total = TOTAL
ticket-refunded-cash = Remboursé en espèces
ticket-refunded-qr = Remboursé via QR

## The drawer's slips (cash in/out) and the X/Z on the till's printer (src/domain/drawer_print.rs).
slip-in = ENTRÉE D'ESPÈCES
slip-out = SORTIE D'ESPÈCES
slip-session = Session (Z)
slip-session-line = Session (Z) : { $value }
slip-move = Mouvement
slip-move-line = Mouvement : { $value }
slip-cashier = Caissier
slip-cashier-line = Caissier : { $value }
slip-amount = MONTANT
slip-reason = Motif
slip-reason-line = Motif : { $value }
slip-signature = Signature
slip-z-title = RAPPORT Z n° { $no }
slip-x-title = RAPPORT X
slip-x-session = session { $no } en cours

## The basket's refusals (src/actors/basket.rs).
basket-no-line = la ligne { $line } n'existe pas
basket-qty-below-one = pour retirer l'article : supprimez la ligne
basket-bad-qty = quantité { $qty } refusée (1 à { $max })
basket-withdrawal-qty = la quantité d'un retrait ne change pas : supprimez la ligne
basket-zero-withdrawal = un retrait doit dépasser 0,00 €
basket-withdrawal-max = les retraits de ce panier atteindraient { $total }, au-delà du maximum de { $max }
basket-full = le panier est plein ({ $max } lignes)
basket-overflow = montant trop élevé
basket-inactive = l'article { $product } est désactivé

## Bad input: amounts, codes, products, staff (src/domain), and the headless commands.
money-empty = montant vide
money-malformed = « { $value } » n'est pas un montant (15, 15.00 ou 15,00)
money-negative = « { $value } » est négatif : les montants sont positifs
money-too-precise = « { $value } » a plus de deux décimales
money-too-large = « { $value } » est trop grand (au plus 1 000 000,00 €)
money-overflow = montant trop grand
code-empty = code vide
code-too-long = le code « { $value } » est trop long (32 caractères au plus)
code-bad-characters = le code « { $value } » contient des espaces ou des caractères de contrôle
code-check-digit = le code-barres « { $value } » a une clé de contrôle fausse (mal lu ? scannez encore)
product-bad-vat = le taux de TVA « { $value } » n'est pas 0, 6, 12 ou 21
product-empty-name = le nom du produit est vide
product-name-too-long = le nom du produit est trop long ({ $max } caractères au plus)
product-bad-price = le prix { $price } n'est pas entre 0,00 € et 10 000,00 €
staff-bad-id = l'identifiant « { $value } » doit avoir de 1 à 8 chiffres
staff-bad-pin = un PIN a de 4 à 8 chiffres
staff-bad-role = le rôle « { $value } » n'est ni cashier ni admin
staff-bad-name = le nom est vide ou dépasse 40 caractères
cmd-too-long = ligne de plus de { $max } octets
cmd-empty = commande vide
cmd-not-utf8 = la ligne n'est pas de l'UTF-8 valide
cmd-usage = usage : { $usage }
cmd-bad-line = « { $value } » n'est pas un numéro de ligne (1, 2, …)
cmd-bad-qty = « { $value } » n'est pas une quantité (1 à 999)
cmd-bad-account = « { $value } » n'est ni main ni sub
cmd-bad-method = « { $value } » n'est ni qr ni cash
cmd-tendered-cash-only = un montant reçu ne se donne qu'en espèces (cash)
cmd-bad-lang = « { $value } » n'est pas fr, nl ou en
cmd-unknown = commande inconnue « { $verb } » ({ $verbs })
instore-check-digit = le code-barres magasin « { $value } » a une clé de contrôle fausse (mal lu ? scannez encore)
instore-value-check = le code-barres magasin « { $value } » a une clé de prix/poids fausse (mal lu ? scannez encore)
instore-zero = le code-barres magasin « { $value } » porte un prix ou un poids nul
admin-staff-lang = { $id } : langue { $lang }, dès sa prochaine connexion
pay-server-manual-warning = ATTENTION : pay_server.provider = "manual" : rien ne prouve un paiement sur ce serveur (qui appuie sur le bouton de la page client « paie »). Pour la démo et les tests seulement ; un commerce met pay_server.provider = "payconiq".
pay-cancelled-expired = Le paiement Payconiq a expiré : rien n'a été payé.
pay-cancelled-failed = Le paiement Payconiq a échoué : rien n'a été payé.
pay-cancelled-authorization-failed = La banque du client a refusé le paiement Payconiq : rien n'a été payé.
pay-cancelled-cancelled = Le paiement Payconiq a été annulé : rien n'a été payé.
pay-provider-bad-api-key = Payconiq refuse la clé API du magasin : prenez les espèces et prévenez le responsable (pay_server.payconiq).
pay-provider-unknown-profile = Payconiq ne connaît pas le profil de paiement du magasin : prenez les espèces et prévenez le responsable.
pay-provider-rate-limited = Payconiq est surchargé : réessayez dans un instant, ou prenez les espèces.
pay-provider-down = Payconiq est injoignable : prenez les espèces.
pay-provider-refused = Payconiq a refusé le paiement : prenez les espèces.
pay-provider-offline = Pas d'internet : le paiement QR est impossible pour l'instant. Prenez les espèces.

## The cash drawer (src/actors/mod.rs, src/actors/command.rs).
drawer-already-open = un tiroir-caisse est déjà ouvert : fermez-le (Z) avant d'en ouvrir un autre
drawer-none-open = aucun tiroir-caisse n'est ouvert
drawer-payment-in-progress = un paiement est en cours : terminez-le ou annulez-le avant le Z
drawer-amount-not-positive = le montant doit dépasser 0,00 €
drawer-amount-too-large = le montant ne peut dépasser { $max }
drawer-amount-negative = un fond de caisse ou un comptage ne peut être négatif
drawer-no-reason = indiquez un motif (par ex. banque, monnaie)
drawer-bad-reason = le motif doit faire au plus { $chars } caractères imprimables

## Remises, approbations, retours
discount-bad-percent = un pourcentage va de 0,01 % à 100 %
discount-not-positive = une remise doit dépasser 0,00 €
discount-above-line = la remise ({ $discount }) dépasse ce qu'elle réduit ({ $of })
discount-bad-price = un nouveau prix va de 0,00 € au prix du catalogue ({ $list }), exclu
discount-withdrawal = un retrait d'espèces n'est jamais remisé
discount-nothing = rien dans ce panier ne peut être remisé
approval-reason-needed = cette remise demande l'accord d'un responsable : donnez un motif
approval-nothing = rien n'attend l'accord d'un responsable
approval-not-manager = seul un responsable (admin) peut approuver
refund-bad-reason = le motif est obligatoire et fait au plus { $chars } caractères imprimables
refund-bad-ticket = « { $value } » n'est pas un ticket : son numéro, caisse/numéro, ou le code QR du ticket
refund-bad-qty = quantité « { $value } » impossible (0 à 999)
refund-no-line = le ticket n'a pas de ligne { $line }
refund-withdrawal = un retrait d'espèces ne se rembourse pas
refund-over-return = il ne reste que { $returnable } à rendre sur la ligne { $line }
refund-over-return-now = ces articles viennent d'être rendus : rouvrez le ticket
refund-nothing = aucune ligne n'est choisie pour le retour
refund-is-credit-note = ce ticket est une note de crédit : elle ne se rembourse pas
refund-unknown-ticket = ticket inconnu
refund-unknown-no-central = ticket inconnu dans cette caisse, et pas de base centrale pour le chercher ailleurs
refund-central-down = le ticket d'une autre caisse se cherche dans la base centrale, injoignable : { $error }
refund-none = aucun retour en cours : commencez par le ticket
refund-no-provider = cette vente QR n'a pas de référence de paiement : remboursez en espèces
refund-no-server = aucun serveur de paiement configuré : remboursez en espèces
refund-provider-refused = le remboursement par l'application a été refusé ({ $reason }) : remboursez en espèces
refund-unconfirmed = le serveur de paiement ne répond pas ; la caisse redemande et enregistrera la note de crédit dès sa réponse
approval-detail-line = ligne { $line } : { $rule } = −{ $amount } ({ $pct })
approval-detail-basket = panier : { $rule } = −{ $amount } ({ $pct })
approval-detail-refund = ticket { $ticket } : −{ $amount } ({ $method ->
    [cash] espèces
   *[other] comme payé (QR)
})
