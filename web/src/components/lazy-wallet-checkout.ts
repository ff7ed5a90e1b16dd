'use client';
import { lazy } from 'react';

/**
 * The wallet checkout, loaded on its first use only: the QR encoder stays out of the sales
 * and orders pages' first load (render it inside a Suspense boundary).
 */
export const WalletCheckout = lazy(() => import('./wallet-checkout').then((m) => ({ default: m.WalletCheckout })));
