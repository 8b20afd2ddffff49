/**
 * The control plane: who may do what (the deployment's admin credential, instance keys with
 * permissions), instances and their lifecycle, and the audit log of every change. Plain records
 * and one facade ({@link dev.synap.core.control.ControlPlane}); storage goes through the store SPI.
 */
package dev.synap.core.control;
