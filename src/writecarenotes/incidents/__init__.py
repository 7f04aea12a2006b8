"""Incidents, safeguarding and statutory notifications (service 22, and the notification part of 20).

Sub-domains, one set of modules each (models/<x>.py, services_<x>.py, api_<x>.py, views_<x>.py):
  report         reporting an incident, people, injuries, photos, corrections, closing (``models/incidents.py``)
  followups      post-fall checks and other follow-up tasks for the nurse
  notifications  the regulators' rules per nation (``rules/``), statutory notifications prepared in one click
  duties         duty of candour, safeguarding, relatives and GP informed
  investigation  investigation, root-cause analysis, actions, lessons learned, trends and the monthly summary
``lifecycle`` lets the sub-domains react to a report or a change in the same transaction;
``obligations`` gathers every open required step (nothing closes while one is open).
"""
