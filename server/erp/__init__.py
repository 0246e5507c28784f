"""The ERP link: API keys, the integration API, event files and a simulated ERP."""
