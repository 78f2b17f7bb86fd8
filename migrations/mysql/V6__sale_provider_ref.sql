-- The payment provider's id (Payconiq's paymentId) of a QR sale, as the till recorded it.
ALTER TABLE sales ADD COLUMN provider_ref VARCHAR(64) NULL;
