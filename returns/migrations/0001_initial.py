"""Return policies (with their special windows), return requests (RMAs) and their lines, and
the returns permissions of the Agents and Supervisors groups (tickets' migration 0002 made the
groups)."""

from django.contrib.auth.management import create_permissions
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_countries.fields
import returns.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


# Agents read policies and work return requests (approve, reject), and so do the accounts of
# API keys (Integrations, tickets' migration 0010); Supervisors also keep the policies.
AGENT_PERMISSIONS = [
    "view_returnpolicy", "view_specialwindow", "view_returnrequest", "add_returnrequest",
    "change_returnrequest", "view_returnline",
]
SUPERVISOR_EXTRA = [
    "add_returnpolicy", "change_returnpolicy", "delete_returnpolicy", "add_specialwindow",
    "change_specialwindow", "delete_specialwindow",
]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("returns")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="returns")
    agents, _ = Group.objects.get_or_create(name="Agents")
    agents.permissions.add(*perms.filter(codename__in=AGENT_PERMISSIONS))
    integrations, _ = Group.objects.get_or_create(name="Integrations")
    integrations.permissions.add(*perms.filter(codename__in=AGENT_PERMISSIONS))
    supervisors, _ = Group.objects.get_or_create(name="Supervisors")
    supervisors.permissions.add(*perms.filter(codename__in=AGENT_PERMISSIONS + SUPERVISOR_EXTRA))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="returns")
    for group in Group.objects.filter(name__in=["Agents", "Integrations", "Supervisors"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tickets', '0021_case_kind_return'),
        # The Integrations group.
        ('tickets', '0010_access_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='ReturnPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('country', django_countries.fields.CountryField(blank=True, help_text='Orders shipped there follow this policy; blank for every other country.', max_length=2, verbose_name='destination country')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('window_days', models.PositiveSmallIntegerField(default=30, help_text='Counted from the day after delivery (or the order date).', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3650)], verbose_name='return window (days)')),
                ('counted_from', models.CharField(choices=[('delivery', 'Delivery (order date while no delivery is known)'), ('order', 'Order date')], default='delivery', max_length=10, verbose_name='counted from')),
                ('grace_days', models.PositiveSmallIntegerField(default=7, help_text='A return sent by the deadline is accepted if it arrives this much later.', validators=[django.core.validators.MaxValueValidator(365)], verbose_name="grace days for the parcel's travel")),
                ('excluded_skus', models.TextField(blank=True, help_text='One pattern a line, * for any characters (e.g. GIFT-*): these cannot be returned. Defect claims under warranty are still accepted.', verbose_name='excluded SKUs')),
                ('no_questions_asked', models.BooleanField(default=True, help_text="Returns within the window are approved without an agent's review.", verbose_name='no questions asked')),
                ('photos_required_for_defect', models.BooleanField(default=True, verbose_name='photos required for a defect')),
                ('return_shipping_paid_by', models.CharField(choices=[('shop', 'The shop'), ('customer', 'The customer')], default='shop', help_text='The shop always pays the return shipping of a defective item.', max_length=10, verbose_name='return shipping of a return paid by')),
                ('restocking_fee_percent', models.DecimalField(decimal_places=2, default=Decimal('0'), help_text='Kept from the refund of a return that is not defective.', max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='restocking fee (%)')),
                ('auto_approve_max_value', models.DecimalField(blank=True, decimal_places=3, help_text='Requests worth more wait for an agent; blank: none is approved automatically.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='auto-approval up to (base currency)')),
                ('refund_release', models.CharField(choices=[('approval', 'On approval'), ('in_transit', 'When the parcel is on its way back'), ('delivered', 'When the parcel reaches the warehouse'), ('inspected', 'After inspection')], default='inspected', max_length=12, verbose_name='refund released')),
                ('label_valid_days', models.PositiveSmallIntegerField(default=28, validators=[django.core.validators.MinValueValidator(1)], verbose_name='label valid (days)')),
                ('warranty_months', models.PositiveSmallIntegerField(default=24, validators=[django.core.validators.MaxValueValidator(600)], verbose_name='warranty (months from delivery)')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'return policy',
                'verbose_name_plural': 'return policies',
                'ordering': ['country', 'name'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('active', True)), fields=('country',), name='return_policy_country'), models.CheckConstraint(condition=models.Q(('restocking_fee_percent__gte', 0), ('restocking_fee_percent__lte', 100)), name='return_policy_fee_percent')],
            },
        ),
        migrations.CreateModel(
            name='ReturnRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rma', models.CharField(default=returns.models.new_rma_number, editable=False, max_length=20, unique=True, verbose_name='RMA number')),
                ('kind', models.CharField(choices=[('return', 'Return'), ('defect', 'Defect claim')], max_length=10, verbose_name='kind')),
                ('status', models.CharField(choices=[('requested', 'Requested'), ('approved', 'Approved'), ('label_issued', 'Label issued'), ('in_transit', 'On its way back'), ('received', 'Received'), ('inspected', 'Inspected'), ('resolved', 'Resolved'), ('rejected', 'Rejected')], default='requested', editable=False, max_length=16, verbose_name='status')),
                ('preferred_outcome', models.CharField(choices=[('refund', 'Refund'), ('replacement', 'Replacement'), ('repair', 'Repair')], max_length=12, verbose_name='preferred outcome')),
                ('eligibility', models.JSONField(default=list, editable=False, verbose_name='eligibility')),
                ('auto_approved', models.BooleanField(default=False, editable=False, verbose_name='approved automatically')),
                ('review_reason', models.CharField(blank=True, editable=False, max_length=255, verbose_name='flagged for review')),
                ('rejection_reason', models.TextField(blank=True, editable=False, verbose_name='rejection reason')),
                ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated')),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='return_request', to='tickets.case', verbose_name='case')),
                ('decided_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='return_requests', to='tickets.order', verbose_name='order')),
                ('photos', models.ManyToManyField(blank=True, related_name='return_requests', to='tickets.attachment', verbose_name='photos')),
                ('policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='requests', to='returns.returnpolicy', verbose_name='policy')),
            ],
            options={
                'verbose_name': 'return request',
                'verbose_name_plural': 'return requests',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ReturnLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='quantity')),
                ('reason_code', models.CharField(choices=[('dead_on_arrival', 'Dead on arrival'), ('stopped_working', 'Stopped working'), ('damaged_in_transit', 'Damaged in transit'), ('missing_parts', 'Missing parts'), ('not_as_described', 'Not as described'), ('cosmetic_damage', 'Cosmetic damage'), ('doesnt_fit', "Doesn't fit"), ('changed_mind', 'Changed my mind'), ('arrived_too_late', 'Arrived too late'), ('ordered_by_mistake', 'Ordered by mistake')], max_length=24, verbose_name='reason')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('order_line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='return_lines', to='tickets.orderline', verbose_name='item')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='returns.returnrequest', verbose_name='request')),
            ],
            options={
                'verbose_name': 'return line',
                'verbose_name_plural': 'return lines',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='SpecialWindow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('purchased_from', models.DateField(verbose_name='purchased from')),
                ('purchased_until', models.DateField(verbose_name='purchased until')),
                ('returnable_until', models.DateField(verbose_name='returnable until')),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='special_windows', to='returns.returnpolicy', verbose_name='policy')),
            ],
            options={
                'verbose_name': 'special return window',
                'verbose_name_plural': 'special return windows',
                'ordering': ['purchased_from'],
            },
        ),
        migrations.AddIndex(
            model_name='returnrequest',
            index=models.Index(fields=['status', '-created_at'], name='return_status_created'),
        ),
        migrations.AddConstraint(
            model_name='returnline',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__gte', 1)), name='return_line_quantity_positive'),
        ),
        migrations.AddConstraint(
            model_name='returnline',
            constraint=models.UniqueConstraint(fields=('request', 'order_line'), name='return_line_once_per_request'),
        ),
        migrations.AddConstraint(
            model_name='specialwindow',
            constraint=models.CheckConstraint(condition=models.Q(('purchased_until__gte', models.F('purchased_from')), ('returnable_until__gte', models.F('purchased_until'))), name='special_window_dates_in_order'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
