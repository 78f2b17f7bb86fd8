-- The payment provider's own id (Payconiq's paymentId) for a QR payment: learnt when the intent
-- is created, kept on the intent so that a restarted till still has it, and written on the sale
-- and its ticket (what the shop looks up in the provider's portal; what a refund is made against).
ALTER TABLE payment_intents ADD COLUMN provider_ref TEXT;
ALTER TABLE sales ADD COLUMN provider_ref TEXT;
