# Reports, the CLI's report text and kaching doctor. Ids start with report- , cli- or doctor-.
# Les identifiants et les arguments sont les mêmes dans nl/ et en/ (src/i18n.rs le vérifie).

## Rapports (le rapport du jour, la liste des jours, le journal des recettes)
report-tickets = { $count ->
    [one] { $count } ticket
   *[other] { $count } tickets
}
report-day-title = { $shop } — RAPPORT DU { $day }
report-col-no = N°
report-col-time = HEURE
report-col-seller = VENDEUR
report-col-product = PRODUIT
report-col-qty = QTÉ
report-col-amount = MONTANT
report-withdrawal-mark = [retrait]
report-no-sales = (aucune vente ce jour)
report-balance = SOLDE CAISSE : { $amount }
report-withdrawals = Retraits espèces (hors total) : { $amount }
report-rounding = Arrondi espèces (hors total) : { $amount }
report-ticket-count = Tickets : { $count }
report-by-seller = Par vendeur
report-seller-withdrawals = retraits
report-by-vat = Par taux de TVA
report-col-gross = TTC
report-col-net = HTVA
report-col-vat = TVA
report-page = Page { $page }/{ $pages }
report-col-day = JOUR
report-col-tickets = TICKETS
report-col-revenue = RECETTE
report-col-withdrawals = RETRAITS
report-journal-title = { $shop } — JOURNAL DES RECETTES du { $from } au { $to }
report-col-vat-rate = TVA { $rate } %
report-col-rounding = ARRONDI
report-total = TOTAL
report-refund-mark = [note de crédit]
report-sales = Ventes : { $amount }
report-refunds = Notes de crédit ({ $count }) : { $amount }
report-discounts = Remises (déjà déduites, { $count ->
    [one] { $count } vente
   *[other] { $count } ventes
}) : { $amount }
report-seller-refunds = notes de crédit
report-seller-discounts = remises
report-col-sales = VENTES
report-col-refunds = REMBOURSÉ
report-col-discounts = REMISES
report-col-credit-notes = N. CRÉD.
report-day-hidden = rapport du { $day } masqué (les ventes restent enregistrées)
report-chain-problem = { $till } ticket { $ticket } : { $problem }
report-chain-gap = les numéros de ticket sautent de { $from } à { $to } : une vente manque
report-chain-unreadable = illisible : { $error }
report-chain-broken-link = ne suit pas le hachage du ticket précédent
report-chain-altered = le contenu ne correspond pas à son hachage : la vente a été modifiée
report-chain-head = la tête de chaîne indique le ticket { $head } mais le registre s'arrête au ticket { $last } : des ventes ont été supprimées ou la tête a été modifiée
report-chain-no-head = pas de tête de chaîne pour cette caisse
report-chain-z-missing = le rapport Z { $no } manque
report-chain-z-altered = le rapport Z { $no } ne correspond pas à son sceau : il a été modifié

## La ligne de commande
cli-report-written = rapport écrit dans { $path }
cli-day-hidden = { $day } masqué dans la liste des jours (ses ventes restent dans le registre)
cli-reconcile-title = RAPPROCHEMENT DU { $day } — caisse { $till }
cli-reconcile-till = CAISSE
cli-reconcile-central = CENTRAL
cli-reconcile-central-revenue = RECETTE CENTR.
cli-reconcile-waiting = EN ATTENTE
cli-reconcile-refunds = N. CRÉD.
cli-reconcile-central-refunds = N. CRÉD. CENTR.
cli-reconcile-all-paid = PAIEMENTS : tout paiement a sa vente
cli-reconcile-to-check = PAIEMENTS À VÉRIFIER ({ $count })
cli-reconcile-payment = PAIEMENT
cli-reconcile-ticket = TICKET
cli-reconcile-problem = PROBLÈME
cli-reconcile-paid-no-sale = payé, sans vente (acceptez-le sur la caisse)
cli-reconcile-parked = ⚠ { $parked } des { $pending } lignes en attente de { $till } sont mises de côté (en conflit avec la base centrale) : voyez le journal d'audit, corrigez les lignes centrales, puis `kaching sync retry-parked`
cli-staff-added = ajouté : { $id } { $name } ({ $role })
cli-staff-added-central = ajouté dans la base centrale : { $id } { $name } ({ $role })
cli-staff-active = actif
cli-staff-disabled = désactivé
cli-staff-enabled-now = { $id } activé
cli-staff-disabled-now = { $id } désactivé
cli-staff-unlocked = { $id } débloqué
cli-staff-not-locked = { $id } n'était pas bloqué
cli-role-cashier = caissier
cli-role-admin = admin
cli-migrated-ledger = registre migré : { $path }
cli-migrated-central = base centrale migrée ({ $count ->
    [one] { $count } migration appliquée
   *[other] { $count } migrations appliquées
})
cli-imported-central = { $count ->
    [one] { $count } article importé dans la base centrale (les caisses le reçoivent à leur prochaine synchronisation)
   *[other] { $count } articles importés dans la base centrale (les caisses les reçoivent à leur prochaine synchronisation)
}
cli-imported = { $count ->
    [one] { $count } article importé ({ $added } ajouté(s), { $updated } mis à jour)
   *[other] { $count } articles importés ({ $added } ajouté(s), { $updated } mis à jour)
}
cli-retry-nothing = aucune ligne mise de côté : rien à remettre dans la file
cli-retry-done = { $count ->
    [one] { $count } ligne mise de côté remise dans la file (audité) : la caisse l'envoie à sa prochaine synchronisation
   *[other] { $count } lignes mises de côté remises dans la file (audité) : la caisse les envoie à sa prochaine synchronisation
}
cli-verify-ok = OK : { $sales ->
    [one] { $sales } vente
   *[other] { $sales } ventes
} sur { $tills ->
    [one] { $tills } caisse
   *[other] { $tills } caisses
}, chaînes de hachage intactes, aucun trou dans les numéros de ticket
cli-verify-fail = ÉCHEC { $problem }
cli-verify-summary = { $problems ->
    [one] { $problems } problème
   *[other] { $problems } problèmes
} dans { $sales ->
    [one] { $sales } vente
   *[other] { $sales } ventes
}
cli-reprint-queued = duplicata de la vente { $sale } mis en file ; la caisse l'imprime dans les 10 s

## kaching doctor
doctor-label-settings = paramètres
doctor-label-data-dir = données
doctor-label-ledger = registre
doctor-label-pin-pepper = poivre PIN
doctor-label-central = base centrale
doctor-label-provider = fournisseur
doctor-label-payment = paiement
doctor-label-printer = imprimante
doctor-label-scanner = scanner
doctor-label-time-zone = fuseau horaire
doctor-label-clock = horloge
doctor-label-disk = disque libre
doctor-header-till = KACHING doctor — caisse { $till }, dossier de données { $dir }
doctor-header = KACHING doctor — dossier de données { $dir }
doctor-fix = correctif :
doctor-summary = { $failing ->
    [0] Tous les contrôles requis passent.
    [one] { $failing } contrôle requis échoue : appliquez son correctif, puis relancez `kaching doctor`.
   *[other] { $failing } contrôles requis échouent : appliquez leurs correctifs, puis relancez `kaching doctor`.
}
doctor-settings-ok = { $file ->
    [none] valeurs par défaut (pas de fichier --config)
   *[other] valeurs par défaut + { $file }
} + { $vars } variable(s) KACHING_* : valides
doctor-settings-fix-key = corrigez { $key } dans le fichier de configuration, ou la variable { $env } qui le définit
doctor-settings-fix-missing = vérifiez le chemin de --config (celui du paquet est /etc/kaching/kaching.toml)
doctor-settings-fix-load = corrigez le fichier de configuration (TOML) ou la variable KACHING_* que le message nomme
doctor-data-dir-ok = { $dir } : existe et est accessible en écriture
doctor-data-dir-missing = { $dir } n'existe pas
doctor-data-dir-missing-fix = pointez --data-dir / KACHING_DATA_DIR vers le dossier de données de la caisse, ou créez celui-ci : `kaching migrate --data-dir { $dir }`
doctor-data-dir-not-dir = { $dir } n'est pas un dossier
doctor-data-dir-not-dir-fix = pointez --data-dir / KACHING_DATA_DIR vers un dossier
doctor-not-writable = { $dir } : écriture impossible : { $error }
doctor-not-writable-fix = donnez le dossier à l'utilisateur de la caisse (celui du paquet : `chown -R kaching: { $dir }`), ou remontez son système de fichiers en lecture-écriture
doctor-not-checked-data-dir = pas contrôlé : le dossier de données est inutilisable
doctor-ledger-missing = pas de registre dans { $file }
doctor-ledger-missing-fix = mauvais dossier de données ? Pointez --data-dir / KACHING_DATA_DIR vers celui de la caisse ; pour une nouvelle caisse, lancez `kaching migrate`
doctor-ledger-open-failed = { $file } ne s'ouvre pas : { $error }
doctor-ledger-open-fix = vérifiez le propriétaire et les droits du fichier ; s'il est abîmé, restaurez le dossier de données depuis sa dernière sauvegarde
doctor-ledger-ok = { $sales ->
    [one] { $sales } vente
   *[other] { $sales } ventes
} dans { $tills ->
    [one] { $tills } chaîne
   *[other] { $tills } chaînes
} : chaque chaîne est vérifiée
doctor-ledger-broken = { $problems ->
    [one] { $problems } problème
   *[other] { $problems } problèmes
} dans { $sales ->
    [one] { $sales } vente
   *[other] { $sales } ventes
}, le premier : { $first }
doctor-ledger-broken-fix = `kaching verify` les liste ; gardez une copie du dossier de données tel quel et restaurez la dernière bonne sauvegarde
doctor-pepper-explicit = défini explicitement (KACHING_PIN_PEPPER ou pin_pepper)
doctor-pepper-in-file = gardé dans { $file } (propre à cette caisse)
doctor-pepper-only-in-file-central = central.url est défini mais le poivre n'est que dans { $file } : les caisses qui partagent le personnel par la base centrale ont besoin du même poivre, explicite
doctor-pepper-only-in-file-fix = définissez KACHING_PIN_PEPPER au contenu de { $file } sur chaque caisse qui partage cette base centrale
doctor-pepper-none-central = central.url est défini mais aucun poivre PIN : les empreintes de PIN reçues de la base centrale ne seraient vérifiées sur aucune caisse
doctor-pepper-none-central-fix = définissez le même KACHING_PIN_PEPPER (ou pin_pepper) sur chaque caisse qui partage cette base centrale
doctor-pepper-lost = pas de poivre ni de { $file }, alors que le registre contient { $staff } membre(s) du personnel dont les PIN ont été hachés avec un poivre : aucun PIN ne sera accepté
doctor-pepper-lost-fix = restaurez le fichier pin_pepper depuis la sauvegarde du dossier de données, ou remettez KACHING_PIN_PEPPER à la valeur avec laquelle les PIN ont été définis
doctor-pepper-none-yet = pas encore : la caisse crée { $file } à son premier démarrage
doctor-central-none = pas de base centrale configurée : la caisse travaille seule
doctor-central-bad-url = central.url n'est pas une URL MySQL : { $error }
doctor-central-fix-url = définissez central.url (KACHING_CENTRAL__URL) à mysql://utilisateur:mot_de_passe@hôte:3306/base (un seul hôte) ; d'ici là, la caisse affiche « Base centrale inutilisable » et ses ventes attendent dans son registre
doctor-central-timeout = { $target } : pas de réponse en { $secs } s
doctor-central-unreachable = { $target } : { $error }
doctor-central-fix-reach = vérifiez que le serveur de base de données tourne et que cette caisse l'atteint (hôte, port, pare-feu), ou corrigez central.url (KACHING_CENTRAL__URL)
doctor-central-fix-access = corrigez l'utilisateur et le mot de passe de central.url (KACHING_CENTRAL__URL), ou donnez à cet utilisateur l'accès à la base
doctor-central-fix-no-database = créez la base sur le serveur (CREATE DATABASE `{ $db }`), puis lancez `kaching migrate --central`
doctor-central-not-migrated = { $target } répond en { $ms } ms mais ne contient pas de schéma KACHING
doctor-central-behind = { $target } répond en { $ms } ms, schéma V{ $version } (ce programme a besoin de V{ $latest })
doctor-central-fix-migrate = lancez `kaching migrate --central`
doctor-central-ok = { $target } répond en { $ms } ms, schéma V{ $version } (à jour)
doctor-central-ahead = { $target } répond en { $ms } ms, le schéma V{ $version } est plus récent que le V{ $latest } de ce programme : mettez kaching à jour sur cette caisse
doctor-payment-lan-only = pas de serveur de paiement hébergé : les paiements QR passent par celui de la caisse, sur { $bind }
doctor-payment-cash-only = aucun serveur de paiement configuré (payment.server_url, payment.lan_bind) : espèces uniquement
doctor-payment-no-secret = payment.server_url est défini, mais pas le secret de cette caisse
doctor-payment-fix-secret = le secret de la caisse est faux : lancez `kaching pay-server till add { $till }` sur le serveur et définissez KACHING_PAYMENT__TILL_SECRET
doctor-payment-unreachable = { $url } : { $error }
doctor-payment-fix-reach = vérifiez payment.server_url (KACHING_PAYMENT__SERVER_URL), le réseau, et que le pay-server tourne (`systemctl status kaching-pay-server` sur le serveur)
doctor-payment-database-down = { $url } répond, mais pas sa base de données de paiements
doctor-payment-fix-database = sur le serveur : vérifiez pay_server.database et que sa base de données tourne
doctor-payment-not-kaching = { $url }/healthz répond { $status } : pas un serveur de paiement KACHING ?
doctor-payment-refused = { $url } refuse la signature de { $till } : { $message }
doctor-payment-clock-refused = { $url } refuse l'heure de la requête : { $message }
doctor-payment-fix-clock = mettez l'horloge de cette machine à l'heure (NTP : `timedatectl set-ntp true`), puis relancez le doctor
doctor-payment-unexpected = { $url } : réponse inattendue à une requête signée : { $error }
doctor-payment-timeout = { $url } : pas de réponse à une requête signée en { $secs } s
doctor-payment-ok = { $url } répond en { $ms } ms et accepte la signature de { $till }
doctor-printer-tcp-ok = tcp { $addr } : connexion en { $ms } ms
doctor-printer-tcp-failed = tcp { $addr } : { $error }
doctor-printer-tcp-fix = allumez l'imprimante, vérifiez son câble et son adresse IP (sa page d'autotest l'indique), ou corrigez printer.target
doctor-printer-device-ok = périphérique { $path } : présent et accessible en écriture
doctor-printer-device-missing = périphérique { $path } : n'existe pas
doctor-printer-device-missing-fix = branchez et allumez l'imprimante (`ls /dev/usb/` liste les imprimantes USB), ou corrigez printer.target
doctor-printer-device-failed = périphérique { $path } : ouverture en écriture impossible : { $error }
doctor-printer-device-access-fix = laissez l'utilisateur de la caisse y écrire : `adduser kaching lp` (puis reconnectez-vous)
doctor-printer-cups-ok = cups : { $status }
doctor-printer-cups-missing = file cups { $queue } : { $error }
doctor-printer-cups-missing-fix = créez la file (`lpadmin -p FILE -E -v URI -m raw`), ou mettez dans printer.target une file que `lpstat -p` liste
doctor-printer-cups-disabled = cups : { $status }
doctor-printer-cups-disabled-fix = activez la file : `cupsenable { $queue }`
doctor-printer-cups-no-default = cups : pas de destination par défaut ({ $error })
doctor-printer-cups-no-default-fix = mettez une file dans printer.target (`lpstat -p` les liste), ou choisissez une file par défaut : `lpoptions -d FILE`
doctor-printer-cups-no-lpstat = cups : lpstat ne tourne pas : { $error }
doctor-printer-cups-no-lpstat-fix = installez le client et le serveur CUPS : `apt install cups-client cups`
doctor-printer-file-ok = fichier (aperçu) : tickets écrits dans { $dir }
doctor-printer-file-later = fichier (aperçu) : les tickets vont dans { $dir } (créé au premier ticket)
doctor-printer-file-fix = donnez ce dossier à l'utilisateur de la caisse, ou mettez dans printer.target un dossier accessible en écriture
doctor-scanner-none = aucun scanner configuré : un scanner en mode clavier tape dans le champ article
doctor-scanner-ok = { $path } ({ $name }) : présent et lisible
doctor-scanner-missing = { $path } : n'existe pas
doctor-scanner-missing-fix = branchez le scanner, et mettez dans scanner.device l'un de ceux que liste `ls /dev/input/by-id/` (celui qui finit par -event-kbd)
doctor-scanner-failed = { $path } : illisible comme périphérique d'entrée : { $error }
doctor-scanner-access-fix = laissez l'utilisateur de la caisse lire les périphériques d'entrée : `adduser kaching input` (puis reconnectez-vous)
doctor-scanner-no-name = aucun périphérique d'entrée lisible dont le nom ressemble à « { $needle } »
doctor-scanner-no-name-fix = branchez le scanner, ou mettez son chemin /dev/input/by-id/ dans scanner.device ; l'utilisateur de la caisse doit être dans le groupe input
doctor-scanner-found-name = « { $needle } » → { $path } ({ $name })
doctor-time-zone = { $name }, maintenant UTC{ $offset }
doctor-clock-before-last-sale = l'horloge indique { $now }, avant la dernière vente ({ $last }) : une machine sans horloge RTC ?
doctor-clock-fix-time = mettez l'heure (branchez le réseau pour NTP, ou `date -s`) avant de vendre
doctor-clock-ntp-not-synced = { $now }, mais NTP n'est pas synchronisé
doctor-clock-fix-ntp = branchez le réseau et activez NTP : `timedatectl set-ntp true`
doctor-clock-ok = { $now }, { $last ->
    [none] pas encore de vente
    [unknown] dernière vente inconnue (le registre ne s'est pas ouvert)
   *[at] après la dernière vente ({ $at })
} ; { $ntp ->
    [synced] NTP synchronisé
   *[unknown] état NTP inconnu ({ $why })
}
doctor-disk-ok = { $free } libres sur { $total } dans { $dir }
doctor-disk-low = seulement { $free } libres dans { $dir } (moins de { $min })
doctor-disk-fix = libérez de la place (anciens journaux : `journalctl --vacuum-size=100M`, anciens exports), ou déplacez le dossier de données sur un disque plus grand
doctor-disk-unknown = impossible de lire la place libre de { $dir } : { $error }
doctor-disk-unknown-fix = vérifiez que le système de fichiers du dossier de données est monté
doctor-provider-manual = pay_server.provider = "manual" : rien ne prouve un paiement QR (le bouton de la page client sert à la démo et aux tests) ; mettez pay_server.provider = "payconiq" sur le serveur de paiement
doctor-provider-payconiq = Payconiq by Bancontact, profil de paiement { $profile }, rappels sur { $callback }

## The drawer's X and Z reports (src/domain/drawer.rs).
drawer-z-title = RAPPORT Z n° { $no } — { $shop }
drawer-x-title = RAPPORT X (session { $no } en cours) — { $shop }
drawer-r-till = Caisse
drawer-r-from = Ouvert le
drawer-r-until = Jusqu'au
drawer-r-cashiers = Caissiers
drawer-r-tickets = Tickets
drawer-r-voids = Lignes supprimées
drawer-r-revenue = Chiffre d'affaires
drawer-r-vat = TVA { $rate } % (TTC / TVA)
drawer-r-cash = Espèces
drawer-r-qr = QR
drawer-r-rounding = Arrondis
drawer-r-float = Fond de caisse
drawer-r-not-counted = non compté
drawer-r-in = Entrées d'espèces
drawer-r-out = Sorties d'espèces
drawer-r-withdrawals = Retraits
drawer-r-expected = Espèces attendues
drawer-r-counted = Espèces comptées
drawer-r-difference = Différence
drawer-r-refunds = Notes de crédit
drawer-r-refunds-total = Remboursements
drawer-r-refunds-cash = Remboursé en espèces
drawer-r-refunds-qr = Remboursé par QR
drawer-r-discounts = Ventes avec remise
drawer-r-discounts-total = Remises
cli-no-z = pas de rapport Z n° { $no } sur { $till }
cli-no-z-yet = pas encore de rapport Z sur { $till }
